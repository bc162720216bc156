"""The "Does it read?" section: a row per model and run, and the typed texts for the default and the reader."""

from ml.reporting.reading import reading_section


def _row(sst: float, typed_scores: list[float]) -> dict:
    return {
        "test_accuracy": 0.9,
        "sst2_dev": {"accuracy": sst, "ece": 0.02},
        "counterfactual_dev": {"accuracy": 0.8, "pairs_both_right": 0.7},
        "typed": [
            {"text": text, "expected": expected, "score": score}
            for (text, expected), score in zip(
                (("Not bad at all.", 1), ("I didn't like it.", 0)), typed_scores, strict=True
            )
        ],
    }


def test_rows_before_and_after_and_the_typed_texts_of_default_and_reader():
    results = {
        "before": {"models": {"default": _row(0.8, [0.1, 0.6])}},
        "after": {"models": {"default": _row(0.87, [0.3, 0.2]), "reader": _row(0.85, [0.8, 0.1])}},
    }
    section = reading_section(results)
    assert "| `default` | before | 90.00% | 80.0% / 0.020 |" in section
    assert "| `default` | after | 90.00% | 87.0% / 0.020 |" in section and "| `reader` | after |" in section
    assert "| text | should be | default | reader |" in section
    assert "| Not bad at all. | positive | 0.30 | 0.80 |" in section
    assert "| I didn't like it. | negative | 0.20 | 0.10 |" in section


def test_without_a_reader_only_the_default_is_shown():
    section = reading_section({"after": {"models": {"default": _row(0.87, [0.3, 0.2])}}})
    assert "| text | should be | default |\n" in section and "reader" not in section.split("typed")[-1]
