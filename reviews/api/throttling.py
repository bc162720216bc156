"""Rate limits: anon/user rates for the API and review creation's budget (the token endpoint's are in sentisite.accounts.api)."""

from rest_framework import throttling

from sentisite.throttling import NamedRateThrottle, SettingsRateMixin, by_user


class AnonRateThrottle(SettingsRateMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(SettingsRateMixin, throttling.UserRateThrottle):
    pass


class ReviewCreateThrottle(NamedRateThrottle):
    """The `review_create` rate per user on POST (each stores a prediction and its explanation); the
    review form counts against the same budget."""

    def __init__(self):
        super().__init__("review_create", "")

    def allow_request(self, request, view):
        if request.method != "POST" or not request.user.is_authenticated:
            return True
        self.ident = by_user(request)
        return super().allow_request(request, view)
