"""The API's own pages: Swagger UI, and the JSON 404 for any path under /api/v1/ that no feature answers."""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.views import SpectacularSwaggerSplitView


@csrf_exempt  # it changes nothing; without this a POST or DELETE would get the CSRF failure page instead
def not_found(request, *args, **kwargs):
    """Any other path under /api/v1/ is a JSON 404 too, not the site's HTML page."""
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI inside the site's page (templates/api/docs.html); its init script is a separate file, so only
    styles need 'unsafe-inline'."""

    template_name = "api/docs.html"
    # Without deep links: Swagger UI draws each operation's link inside the button that opens it, a link in a button
    # that keyboards and screen readers cannot use (axe nested-interactive, once per operation).
    ui_settings = {**spectacular_settings.SWAGGER_UI_SETTINGS, "deepLinking": False}

    # Swagger UI sets style attributes as it draws (Chromium refuses them under the site's policy); the scripts are
    # all files from this origin (the sidecar bundle and ?script), so script-src stays 'self'.
    content_security_policy = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'self'; object-src 'none'"
    )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(getattr(response, "data", None), dict) and "settings" in response.data:  # the ?script file
            response.data["settings"] = json.dumps(self.ui_settings, indent=2)
        response.headers["Content-Security-Policy"] = self.content_security_policy
        return response
