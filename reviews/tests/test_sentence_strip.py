"""Sentence by sentence on the pages: the strip under the verdict, the mixed label, and what a slow model skips."""

import html as html_lib
import re

import pytest
from django.test import Client

from classifier import registry
from classifier.classify import classify
from classifier.verdicts import VerdictWarning, describe
from reviews.models import Review
from reviews.tests.factories import ReviewFactory
from reviews.tests.pages import HISTORY, HOME, POSITIVE_TEXT, page_text

pytestmark = pytest.mark.django_db

PRAISED, PANNED = "A great and brilliant film.", "An awful, boring waste."
TWO_SENTENCES = f"{PRAISED} {PANNED}"
# Ten sentences and 100 words: more than the tiny model's 32 tokens, so it reads only part of the text.
LONG = "The film was great and the plot was good. " * 10
STRIP = 'data-testid="sentence-strip"'
MIXED = 'data-testid="mixed"'


def sentences_shown(html: str) -> list[tuple[str, str]]:
    """(chip, sentence) of each item of the strip's list, in order: ("▲ positive 97%", "A great ...")."""
    items = re.findall(
        r'data-testid="sentence"[^>]*><span class="strip__tag"[^>]*><span aria-hidden="true">(.) </span>([^<]*)</span>'
        r' <span class="strip__text" dir="auto">([^<]*)</span>',
        html,
    )
    return [(f"{marker} {html_lib.unescape(label)}", html_lib.unescape(text)) for marker, label, text in items]


@pytest.fixture
def mixed_threshold(served_model, monkeypatch):
    """set(mixed): move the served model's mixed_threshold just under (or over) how sure TWO_SENTENCES's
    less sure sentence is, so that the service calls it mixed (or not)."""
    service = registry.get_service()
    scores = [sentence.score for sentence in classify([TWO_SENTENCES], sentences=True)[0].sentences]
    sureness = min(max(scores), 1 - min(scores))

    def set_mixed(mixed: bool) -> None:
        threshold = sureness - 0.001 if mixed else (sureness + 1) / 2
        monkeypatch.setitem(service.predictor.manifest, "mixed_threshold", threshold)

    return set_mixed


def assert_two_sentence_strip(html: str) -> None:
    assert STRIP in html
    (first_chip, first), (second_chip, second) = sentences_shown(html)
    assert (first, second) == (PRAISED, PANNED)
    assert re.fullmatch(r"▲ (leaning )?positive [<>]?\d+%", first_chip)
    assert re.fullmatch(r"▼ (leaning )?negative [<>]?\d+%", second_chip)
    # The segments of the bar, in order, each with its verdict in words.
    titles = re.findall(r"<rect class=\"strip__segment sentence--(pos|neg)-\d\"[^>]*><title>([^<]*)</title>", html)
    assert [side for side, _ in titles] == ["pos", "neg"]
    first_title = html_lib.unescape(titles[0][1])
    assert re.fullmatch(r"Sentence 1: (leaning )?positive [<>]?\d+% \((high|medium|low) confidence\)", first_title)
    assert 'style="' not in html.split(STRIP)[1].split("</section>")[0]  # the CSP allows no inline style


def test_a_visitor_sees_each_sentence_with_its_verdict(client, served_model):
    response = client.post(HOME, {"text": TWO_SENTENCES})
    assert response.status_code == 200
    strip = response.context["verdict"].sentences
    assert [part.text for part in strip.parts] == [PRAISED, PANNED]
    assert_two_sentence_strip(page_text(response))
    assert not Review.objects.exists()


def test_a_one_sentence_text_has_no_strip(signed_in, served_model):
    response = Client().post(HOME, {"text": POSITIVE_TEXT})
    assert response.context["verdict"].sentences is None and STRIP not in page_text(response)
    stored = signed_in.post(HOME, {"text": POSITIVE_TEXT}, follow=True)
    assert Review.objects.get().sentences and STRIP not in page_text(stored)


def test_a_member_stores_the_breakdown_and_sees_it_on_the_review(signed_in, served_model):
    response = signed_in.post(HOME, {"text": TWO_SENTENCES}, follow=True)
    review = Review.objects.get()
    assert [sentence["text"] for sentence in review.sentence_verdicts] == [PRAISED, PANNED]
    assert review.mixed is not None
    assert_two_sentence_strip(page_text(response))


@pytest.mark.parametrize("mixed", [True, False])
def test_the_mixed_label_follows_the_service(signed_in, mixed_threshold, mixed):
    mixed_threshold(mixed)
    visitor = page_text(Client().post(HOME, {"text": TWO_SENTENCES}))
    member = page_text(signed_in.post(HOME, {"text": TWO_SENTENCES}, follow=True))
    for html in (visitor, member):
        assert (MIXED in html) is mixed
        assert ("Mixed: parts praised, parts panned" in html) is mixed
        assert STRIP in html
    assert Review.objects.get().mixed is mixed
    history = page_text(signed_in.get(HISTORY))
    assert ('data-testid="mixed-badge"' in history) is mixed


def test_the_detail_page_shows_the_stored_breakdown(signed_in, user):
    text = "Loved the cast.  Hated the ending!\nStill, worth it?"
    review = ReviewFactory(
        owner=user,
        text=text,
        sentiment="positive",
        score=0.7,
        confidence="medium",
        sentences=[
            {"start": 0, "end": 15, "sentiment": "positive", "score": 0.98, "confidence": "high"},
            {"start": 17, "end": 34, "sentiment": "negative", "score": 0.04, "confidence": "high"},
            {"start": 35, "end": 51, "sentiment": "positive", "score": 0.58, "confidence": "low"},
        ],
        mixed=True,
    )
    html = page_text(signed_in.get(review.get_absolute_url()))
    assert sentences_shown(html) == [
        ("▲ positive 98%", "Loved the cast."),
        ("▼ negative 96%", "Hated the ending!"),
        ("▲ leaning positive 58%", "Still, worth it?"),
    ]
    assert "<title>Sentence 2: negative 96% (high confidence)</title>" in html
    assert 'class="strip__segment sentence--pos-1"' in html  # shaded by its confidence
    assert "3 sentences: 2 positive, 1 negative" in html
    assert MIXED in html and "confidently positive and another confidently negative" in html


def test_a_review_stored_without_a_breakdown_has_no_strip(signed_in, user):
    review = ReviewFactory(owner=user, text=TWO_SENTENCES)  # made before sentences were stored
    html = page_text(signed_in.get(review.get_absolute_url()))
    assert STRIP not in html and MIXED not in html


def test_a_slow_model_skips_the_strip_of_a_long_text_and_says_so(signed_in, served_model, catalogue, settings):
    client = Client()  # a visitor's, beside the member's
    catalogue(served_model.name, slow=(served_model.name,))
    settings.SENTIMENT_SLOW_EXPLAIN_MAX_CHARS = 20
    visitor = client.post(HOME, {"text": TWO_SENTENCES})
    member = signed_in.post(HOME, {"text": TWO_SENTENCES}, follow=True)
    for response in (visitor, member):
        html = page_text(response)
        assert response.context["verdict"].label in {"Positive", "Negative"}
        assert STRIP not in html and MIXED not in html
        assert "No words are highlighted: the tiny model explains reviews of at most 20 characters" in html
        assert "judges their sentences one by one only up to that length too" in html
    assert Review.objects.get().sentences == [] and Review.objects.get().mixed is None
    short = client.post(HOME, {"text": "Great. Awful."})  # 13 characters: under the limit, still split
    assert STRIP in page_text(short) and "No words are highlighted" not in page_text(short)


def test_a_text_read_in_part_says_so_plainly_next_to_its_strip(signed_in, served_model):
    truncated = describe([VerdictWarning.TRUNCATED])[0].replace("'", "&#x27;")
    for response in (Client().post(HOME, {"text": LONG}), signed_in.post(HOME, {"text": LONG}, follow=True)):
        html = page_text(response)
        assert VerdictWarning.TRUNCATED in response.context["verdict"].warnings
        assert 'data-testid="warnings"' in html and truncated in html
        assert STRIP in html and len(sentences_shown(html)) == 10
