"""Response renderers: JSON, and DRF's browsable API without the HTML form the API would refuse."""

from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's "HTML form" tab always posts multipart/form-data, which the API answers with 415 (file uploads
    bypass the 256 KiB body limit); the "Raw data" tab (JSON or a urlencoded form) is the one offered."""

    def get_rendered_html_form(self, data, view, method, request):
        if method in ("POST", "PUT", "PATCH"):
            return None
        return super().get_rendered_html_form(data, view, method, request)
