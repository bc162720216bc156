"""The API's anon/user rates (per address or per user); a feature's own budgets live with the feature."""

from rest_framework import throttling

from sentisite.throttling import SettingsRateMixin


class AnonRateThrottle(SettingsRateMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(SettingsRateMixin, throttling.UserRateThrottle):
    pass
