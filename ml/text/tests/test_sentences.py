"""The sentence rule: offsets that give each sentence back exactly, the hard cases, and linear time."""

import time

import pytest

from ml.text.sentences import sentence_spans, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Smith was great. The U.S. cut is worse!", ["Dr. Smith was great.", "The U.S. cut is worse!"]),
        ("Mr. and Mrs. Jones vs. the world. Fine.", ["Mr. and Mrs. Jones vs. the world.", "Fine."]),
        (
            "It was ... fine. Really... Not bad.",
            [
                "It was ... fine.",
                "Really...",
                "Not bad.",
            ],
        ),
        ("Wait\u2026 what? Yes!", ["Wait\u2026 what?", "Yes!"]),
        ('"Wow." She left. (Twice.) Then', ['"Wow."', "She left.", "(Twice.)", "Then"]),
        ("good.The end was bad.Really", ["good.", "The end was bad.", "Really"]),
        ("Loved it!!!Hated the end?!", ["Loved it!!!", "Hated the end?!"]),
        ("Rated 3.5 of 5 on imdb.com today", ["Rated 3.5 of 5 on imdb.com today"]),
        ("J. K. Rowling wrote it. Okay", ["J. K. Rowling wrote it.", "Okay"]),
        (
            "Great film \U0001f60d. Awful ending \U0001f44e\U0001f3fd!",
            ["Great film \U0001f60d.", "Awful ending \U0001f44e\U0001f3fd!"],
        ),
        ("One\r\nTwo\rThree\n\nFour", ["One", "Two", "Three", "Four"]),
        ("  padded.   ", ["padded."]),
        ("", []),
        ("   \n\t ", []),
    ],
)
def test_sentences(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Great film \U0001f60d\U0001f60d. Awful ending \U0001f469\u200d\U0001f467!\r\nWhy?  ",
        "A\u0301ccent. \u202eRTL\u202c text.\u2028Next line",
        "\r\n\r\nFirst.\r\n Second one . Third",
    ],
)
def test_offsets_slice_the_original_text(text):
    spans = sentence_spans(text)
    assert spans, text
    for start, end in spans:
        piece = text[start:end]
        assert piece == piece.strip() and piece
    assert [text[s:e] for s, e in spans] == split_sentences(text)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # in order, never overlapping


@pytest.mark.parametrize(
    "text", ["." * 20_000, "x" * 20_000, "a. " * 6_667, "Dr. " * 5_000, "!?" * 10_000, "\n" * 20_000, "U.S." * 5_000]
)
def test_twenty_thousand_hostile_characters_split_in_linear_time(text):
    started = time.perf_counter()
    spans = sentence_spans(text)
    assert time.perf_counter() - started < 1.0  # ~20 ms; a quadratic rule takes seconds
    assert all(text[s:e].strip() for s, e in spans)
