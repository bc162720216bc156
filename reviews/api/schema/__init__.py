"""OpenAPI documentation of the reviews endpoints: shapes, examples, errors.

The views decorate themselves with these names (`@schema.REVIEW_LIST`); the errors every endpoint shares are in
sentisite/api/schema.py, predict's and the model parameter in classifier/api/schema.py.
"""

from .reviews import (
    REVIEW_CREATE,
    REVIEW_DESTROY,
    REVIEW_DISPUTE,
    REVIEW_LIST,
    REVIEW_RETRIEVE,
    REVIEW_UNDISPUTE,
)

__all__ = [
    "REVIEW_CREATE",
    "REVIEW_DESTROY",
    "REVIEW_DISPUTE",
    "REVIEW_LIST",
    "REVIEW_RETRIEVE",
    "REVIEW_UNDISPUTE",
]
