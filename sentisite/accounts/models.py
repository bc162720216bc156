"""Lock-out state (one row per failed or in-flight password check, in a table no flood of cache keys can cull);
API tokens as the admin shows them."""

from django.db import models
from rest_framework.authtoken.models import Token


class LoginFailure(models.Model):
    """One of a counter's `LOGIN_FAILURE_LIMIT` slots, held until it expires.

    A counter is a hashed username or client address. The unique (counter, slot) pair is what makes
    the count atomic: two requests can never hold the same slot, so at most `limit` password checks
    per counter are ever in flight or failed within the window.
    """

    counter = models.CharField(max_length=80)
    slot = models.PositiveSmallIntegerField()
    failed_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["counter", "slot"], name="login_failure_one_per_slot")]

    def __str__(self):
        return f"{self.counter}#{self.slot} until {self.expires_at:%H:%M:%S}"


class ApiToken(Token):
    """DRF's token under a name that is not its key: the admin prints an object's str() in titles,
    breadcrumbs, messages and its change log, and a key is a password."""

    class Meta:
        proxy = True
        verbose_name = "API token"

    def __str__(self):
        return f"API token of {self.user}"
