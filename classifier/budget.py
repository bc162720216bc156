"""One CPU budget per client for classification, whatever the door: the classify form, the predict API and
review creation (page and API) all charge it.

A request's cost is estimated before any model work, in CPU seconds, from its texts' characters, the model
and the options (explanations and sentence verdicts cost more than a verdict; the figures are `make bench`'s
hostile rows, docs/reliability.md). A request estimated over SENTIMENT_MAX_REQUEST_CPU_SECONDS is refused
(TooCostly, a 400: split it); otherwise its cost is drawn from its client's budget for the current minute,
a counter in the shared cache (Redis in production: one budget across every process), and beyond the
budget it is refused with 429 (OverBudget). Bulk jobs are budgeted by rows a day (JOBS_DAILY_ROW_QUOTA) and
run on the job workers, not on the web processes' threads.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from sentisite.throttling import client_address

from . import registry


@dataclass(frozen=True)
class Cost:
    """CPU seconds per 1,000 characters: the verdict, the explanation, the sentence verdicts."""

    verdict: float
    explanation: float
    sentences: float


# Measured warm through the API, rounded up (docs/reliability.md, "The cost of one request"): the n-gram models'
# explanations score each word's removal; the networks' take gradients; `accurate` runs three models.
COSTS = {
    "default": Cost(0.002, 0.06, 0.006),
    "nbsvm_tfidf": Cost(0.002, 0.07, 0.006),
    "nbsvm": Cost(0.002, 0.07, 0.006),
    "cnn": Cost(0.002, 0.06, 0.02),
    "rnn": Cost(0.004, 0.12, 0.03),
    "rcnn": Cost(0.005, 0.14, 0.03),
    # Not yet measured by bench/hostile.py: the CNN's figures, which it resembles on at most 100 tokens, not 400;
    # accurate's raised by a quarter for the two members it gained (the n-gram model and the reader).
    "reader": Cost(0.002, 0.06, 0.02),
    "accurate": Cost(0.010, 0.38, 0.07),
}
PER_TEXT_SECONDS = 0.002  # the verdict's checks and the answer, whatever the length


class TooCostly(ValueError):
    """One request asks for more work than any one request may (SENTIMENT_MAX_REQUEST_CPU_SECONDS)."""

    def __init__(self, estimate: float, limit: float):
        self.estimate, self.limit = estimate, limit
        super().__init__(
            f"This request would take about {estimate:.1f} s of CPU; one request may take {limit:.0f} s. "
            "Send fewer or shorter texts, or ask without explanations and sentences."
        )


class OverBudget(Exception):
    """The client has spent its classification budget for this minute; `retry_after` is when it refills."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"Classification budget spent for this minute; retry in {retry_after} s.")


def estimate(texts: list[str], *, model: str | None, explain: bool = False, sentences: bool = False) -> float:
    """CPU seconds that classifying `texts` this way is expected to take, at most."""
    name = model or registry.default_model_name()
    cost = COSTS.get(name, COSTS["default"])  # every shipped model is measured; a test's tiny one is not
    per_kchar = cost.verdict + (cost.explanation if explain else 0) + (cost.sentences if sentences else 0)
    return sum(PER_TEXT_SECONDS + len(text) / 1000 * per_kchar for text in texts)


def check_request(seconds: float) -> None:
    limit = settings.SENTIMENT_MAX_REQUEST_CPU_SECONDS
    if seconds > limit:
        raise TooCostly(seconds, limit)


def client_key(request) -> str:
    """Whose budget a request draws on: the signed-in user, else the address (an IPv6 address by its /64)."""
    if request.user.is_authenticated:
        return user_key(request.user)
    return f"address:{client_address(request)}"


def user_key(user) -> str:
    return f"user:{user.pk}"


def charge(client: str, seconds: float) -> None:
    """Draw `seconds` from `client`'s budget for this minute, or raise OverBudget (and draw nothing)."""
    per_minute = (
        settings.CLASSIFY_CPU_SECONDS_PER_MINUTE_USER
        if client.startswith("user:")
        else settings.CLASSIFY_CPU_SECONDS_PER_MINUTE_ANON
    )
    if per_minute is None:  # budgets off (the benchmarks measure the models, not the limiter)
        return
    now = time.time()
    key = f"cpu-budget:{client}:{int(now // 60)}"
    milliseconds = max(1, math.ceil(seconds * 1000))
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key, milliseconds)  # atomic in Redis (INCRBY): one budget across processes
    except ValueError:  # expired between add and incr
        cache.set(key, milliseconds, timeout=120)
        used = milliseconds
    if used > per_minute * 1000:
        cache.decr(key, milliseconds)  # a refused request costs nothing
        raise OverBudget(retry_after=max(1, math.ceil(60 - now % 60)))
