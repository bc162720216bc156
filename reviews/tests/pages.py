"""What the page tests share: the pages' addresses, sample texts, and reading a page's HTML."""

import html as html_lib
import re

from django.urls import reverse

POSITIVE_TEXT = "A brilliant, wonderful film, I loved it."
SCRIPT = "<script>alert('pwned')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;"


HOME = reverse("reviews:home")
HISTORY = reverse("reviews:history")
SIGNUP = reverse("signup")
API_TOKEN = reverse("api_token")


def page_text(response) -> str:
    return response.content.decode()


def shown_review_text(html: str) -> str:
    """The review as the page shows it: the quote's content without its highlight tags, unescaped."""
    inner = re.search(r'data-testid="review-text">(.*?)</blockquote>', html, re.S).group(1)
    return html_lib.unescape(re.sub(r"</?mark[^>]*>", "", inner))


EXPLAINED_TEXT = "The acting was brilliant,\n  but the plot was dreadful."
# As a review stores it: each of the text's words (split on white space) with its weight.
EXPLANATION = [
    [word, weight]
    for word, weight in zip(EXPLAINED_TEXT.split(), [0.0, 0.3, 0.01, 2.0, -0.5, 0.0, -0.9, 0.0, -1.6], strict=True)
]


def dispute_url(review) -> str:
    return reverse("reviews:dispute", args=[review.pk])
