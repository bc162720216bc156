"""Review creation's rate budget (the API-wide anon/user rates are in sentisite.api.throttling)."""

from sentisite.throttling import NamedRateThrottle, by_user


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
