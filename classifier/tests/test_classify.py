"""The one classify service: verdicts, explanations, sentence verdicts with offsets, the mixed rule."""

import pytest

from classifier import registry
from classifier.classify import classify


def test_sentences_slice_the_text_and_come_from_one_model_call(served_model, monkeypatch):
    texts = ["A great and brilliant film.\r\nAn awful, boring waste \U0001f44e.  ", "Brilliant.", "great. awful. fine."]
    calls = []
    predictor = registry.get_service().predictor  # loaded (and warmed) before counting
    original = predictor.predict_proba
    monkeypatch.setattr(predictor, "predict_proba", lambda batch: calls.append(len(batch)) or original(batch))
    results = classify(texts, sentences=True)
    # One call for the three whole texts, one for the sentences of the texts that have several.
    assert calls == [3, 5]
    first = results[0]
    assert [s.text for s in first.sentences] == ["A great and brilliant film.", "An awful, boring waste \U0001f44e."]
    for sentence in first.sentences:
        assert texts[0][sentence.start : sentence.end] == sentence.text
        assert sentence.sentiment == ("positive" if sentence.score >= 0.5 else "negative")
        assert sentence.confidence in {"high", "medium", "low", "none"}
    assert first.sentences[0].score > 0.5 > first.sentences[1].score
    # A one-sentence text is its own verdict.
    assert results[1].sentences[0].score == results[1].prediction.score and results[1].mixed is False
    assert len(results[2].sentences) == 3
    assert all(result.explanation is None for result in results)


def test_mixed_follows_the_artifacts_threshold(served_model, monkeypatch):
    text = "A great and brilliant film. An awful, boring waste."
    service = registry.get_service()
    scores = [s.score for s in classify([text], sentences=True)[0].sentences]
    sureness = min(max(scores), 1 - min(scores))  # how sure the less sure of the two sentences is
    monkeypatch.setitem(service.predictor.manifest, "mixed_threshold", sureness - 0.001)
    assert classify([text], sentences=True)[0].mixed is True
    monkeypatch.setitem(service.predictor.manifest, "mixed_threshold", (sureness + 1) / 2)
    assert classify([text], sentences=True)[0].mixed is False
    assert classify([text])[0].mixed is None and classify([text])[0].sentences is None


def test_a_slow_model_refuses_long_texts_before_any_work_or_skips_them(served_model, catalogue, settings, monkeypatch):
    catalogue(served_model.name, slow=(served_model.name,))
    settings.SENTIMENT_SLOW_EXPLAIN_MAX_CHARS = 20
    long_text = "A great and brilliant film. " * 3
    monkeypatch.setattr(registry.SentimentService, "predict", lambda *a, **k: pytest.fail("the model ran"))
    with pytest.raises(registry.ExplanationTooLong):
        classify([long_text], sentences=True)
    monkeypatch.undo()
    catalogue(served_model.name, slow=(served_model.name,))
    settings.SENTIMENT_SLOW_EXPLAIN_MAX_CHARS = 20
    short, long = classify(["Great film.", long_text], explain=True, sentences=True, strict=False)
    assert short.explanation and short.sentences and short.unexplained is None
    assert long.explanation is None and long.sentences is None and long.mixed is None
    assert long.unexplained.limit == 20 and long.prediction.label in {"positive", "negative"}
