"""The API's plumbing (sentisite/api/): any path under /api/v1/ that no feature answers is a JSON 404."""

import pytest
from rest_framework.test import APIClient

from sentisite.tests.helpers import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_throttle_counts")]


# --- anything else under /api/v1/ --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/reviews", "/api/v1/predict/", "/api/v1/"])
def test_unknown_api_paths_are_json_404(path):
    client = APIClient(enforce_csrf_checks=True)
    assert_error(client.get(path), 404, "not_found")
    assert_error(client.post(path, {}, format="json"), 404, "not_found")
    assert_error(client.delete(path), 404, "not_found")
