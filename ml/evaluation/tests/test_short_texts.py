"""The short-text report: VADER's rule and the RESULTS.md section."""

from ml.evaluation.short_texts import short_text_section, vader_scores


def test_vader_scores_lean_the_right_way():
    scores = vader_scores(["A wonderful, moving film.", "Awful and boring, a waste of time."])
    assert scores[0] > 0 > scores[1]


def test_the_section_has_a_row_per_model_and_vader():
    results = {
        "sets": {"imdb": 1000, "yelp": 1000},
        "vader": {"imdb": {"accuracy": 0.771}, "yelp": {"accuracy": 0.727}},
        "models": {
            "default": {
                "test_accuracy": 0.9199,
                "val_sentence_accuracy": 0.7425,
                "imdb": {"accuracy": 0.882, "ece": 0.021},
                "yelp": {"accuracy": 0.803, "ece": 0.03},
            }
        },
    }
    section = short_text_section(results)
    assert "| `default` | 88.2% / 0.021 | 80.3% / 0.030 | 74.2% | 91.99% |" in section
    assert "| VADER (compound >= 0) | 77.1% | 72.7% | — | — |" in section
    assert short_text_section(None) == ""
