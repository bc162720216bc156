"""A bad Host header logs one WARNING line without a traceback, a few a minute at most."""

import logging

import pytest

from sentisite.logfilters import DisallowedHostFilter


def record(message="Invalid HTTP_HOST header: 'evil.example'."):
    try:
        raise ValueError(message)
    except ValueError as exc:
        error = exc
    return logging.LogRecord(
        "django.security.DisallowedHost", logging.ERROR, __file__, 1, message, None, (ValueError, error, None)
    )


def test_the_filter_keeps_a_few_lines_a_minute_as_warnings_without_traceback():
    now = [0.0]
    quiet = DisallowedHostFilter(per_minute=3, clock=lambda: now[0])
    kept = [item for item in (record() for _ in range(50)) if quiet.filter(item)]
    assert len(kept) == 3
    assert all(item.levelno == logging.WARNING and item.exc_info is None for item in kept)
    now[0] = 61.0
    later = record()
    assert quiet.filter(later)
    assert later.getMessage().endswith("(47 more like it not logged)")
    assert logging.Formatter().format(later).count("\n") == 0  # no traceback


@pytest.mark.django_db
def test_bad_host_headers_log_no_error(client, caplog):
    with caplog.at_level(logging.INFO, logger="django.security"):
        for _ in range(20):
            assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    lines = [item for item in caplog.records if item.name == "django.security.DisallowedHost"]
    assert len(lines) <= 5
    assert all(item.levelno == logging.WARNING and not item.exc_info for item in lines)
