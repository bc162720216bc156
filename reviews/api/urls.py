"""API URLs (placeholder until the API lands)."""

app_name = "api"
urlpatterns: list = []
