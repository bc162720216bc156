"""ml.exploration: exact n-gram counts and log-odds on toy corpora, the command on a tiny archive, the typed result."""

import io
import json
import math
import tarfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from ml.exploration import command
from ml.exploration.corpus import count_ngrams, encode
from ml.exploration.statistics import (
    coverage_curve,
    distinctive_words,
    frequent_ngrams,
    log_odds_dirichlet,
    percentiles,
    polarizing,
)
from ml.inference.insights import Insights, NgramCount
from ml.paths import ROOT
from ml.text.preprocessing import STOPWORDS

REPOSITORY = ROOT


def as_dict(ngrams, row):
    """{n-gram: count} for one row of counts (0 = negative, 1 = positive, None = both)."""
    counts = ngrams.total if row is None else ngrams.by_class[row]
    indices = np.flatnonzero(counts)
    return dict(zip(ngrams.terms(indices), counts[indices].tolist(), strict=True))


def test_encode_numbers_tokens_by_frequency_then_alphabet():
    corpus = encode(["b a b", "c a b"])
    assert corpus.vocabulary == ["b", "a", "c"]
    assert corpus.counts.tolist() == [3, 2, 1]
    assert corpus.ids.tolist() == [0, 1, 0, 2, 1, 0]
    assert corpus.document.tolist() == [0, 0, 0, 1, 1, 1]
    assert corpus.lengths.tolist() == [3, 3]


def test_ngram_counts_per_class_never_cross_two_texts():
    corpus = encode(["good good film", "bad film", "good film"])
    labels = np.array([1, 0, 1])

    unigrams = count_ngrams(corpus, labels, 1)
    assert as_dict(unigrams, 1) == {"good": 3, "film": 2}
    assert as_dict(unigrams, 0) == {"bad": 1, "film": 1}

    bigrams = count_ngrams(corpus, labels, 2)
    # "film bad" and "film good" would straddle two reviews: they must not exist.
    assert as_dict(bigrams, None) == {"good good": 1, "good film": 2, "bad film": 1}
    assert as_dict(bigrams, 1) == {"good good": 1, "good film": 2}
    assert as_dict(bigrams, 0) == {"bad film": 1}

    trigrams = count_ngrams(corpus, labels, 3)
    assert as_dict(trigrams, None) == {"good good film": 1}


def test_removing_stopwords_joins_neighbours_and_keeps_negations():
    corpus = encode(["this is not a good film", "it was the worst"]).without(STOPWORDS)
    bigrams = count_ngrams(corpus, np.array([1, 0]), 2)
    assert as_dict(bigrams, None) == {"not good": 1, "good film": 1}
    assert as_dict(count_ngrams(corpus, np.array([1, 0]), 1), 0) == {"worst": 1}
    assert corpus.lengths.tolist() == [3, 1]


def test_frequent_ngrams_rank_by_count_then_alphabetically():
    corpus = encode(["b b a c", "c d"])
    table = frequent_ngrams(count_ngrams(corpus, np.array([1, 0]), 1), k=3)
    assert table.all == [NgramCount("b", 2), NgramCount("c", 2), NgramCount("a", 1)]
    assert table.positive == [NgramCount("b", 2), NgramCount("a", 1), NgramCount("c", 1)]
    assert table.negative == [NgramCount("c", 1), NgramCount("d", 1)]


def test_log_odds_with_informative_dirichlet_prior_by_hand():
    # Positive: "good good film"; negative: "bad film". Terms: good, film, bad.
    positive = np.array([2, 1, 0])
    negative = np.array([0, 1, 1])
    # A prior of 5 pseudo-counts spread by pooled frequency over 5 tokens: alpha = the pooled counts.
    delta, z = log_odds_dirichlet(positive, negative, prior_size=5)
    # good: alpha 2. log((2+2)/(3+5-2-2)) - log((0+2)/(2+5-0-2)) = log(1) - log(2/5); var = 1/4 + 1/2.
    assert delta[0] == pytest.approx(math.log(4 / 4) - math.log(2 / 5))
    assert z[0] == pytest.approx((math.log(1) - math.log(2 / 5)) / math.sqrt(1 / 4 + 1 / 2))
    # film: alpha 2. log(3/(8-3)) - log(3/(7-3)); var = 1/3 + 1/3.
    assert delta[1] == pytest.approx(math.log(3 / 5) - math.log(3 / 4))
    assert z[1] == pytest.approx((math.log(3 / 5) - math.log(3 / 4)) / math.sqrt(2 / 3))
    # bad: alpha 1. log(1/(8-1)) - log(2/(7-2)); var = 1/1 + 1/2.
    assert delta[2] == pytest.approx(math.log(1 / 7) - math.log(2 / 5))
    assert z[2] == pytest.approx((math.log(1 / 7) - math.log(2 / 5)) / math.sqrt(1.5))


def test_log_odds_prior_size_scales_the_pooled_frequencies():
    # prior_size 10 doubles alpha: good 4, film 4, bad 2; alpha_0 = 10.
    delta, _ = log_odds_dirichlet(np.array([2, 1, 0]), np.array([0, 1, 1]), prior_size=10)
    assert delta[0] == pytest.approx(math.log(6 / (3 + 10 - 6)) - math.log(4 / (2 + 10 - 4)))


def test_log_odds_is_antisymmetric_and_rejects_unseen_terms():
    positive, negative = np.array([5, 1, 3]), np.array([1, 5, 3])  # equal totals: equal counts are neutral
    forward, forward_z = log_odds_dirichlet(positive, negative)
    backward, backward_z = log_odds_dirichlet(negative, positive)
    np.testing.assert_allclose(forward, -backward)
    np.testing.assert_allclose(forward_z, -backward_z)
    assert forward[2] == pytest.approx(0.0)
    with pytest.raises(ValueError):
        log_odds_dirichlet(np.array([1, 0]), np.array([1, 0]))


def test_polarizing_puts_each_side_first():
    corpus = encode(["great great fine film"] * 3 + ["awful awful fine film"] * 3)
    table, z_scores = polarizing(count_ngrams(corpus, np.array([1, 1, 1, 0, 0, 0]), 1), k=2)
    assert [row.term for row in table.positive] == ["great", "film"]
    assert [row.term for row in table.negative] == ["awful", "film"]
    great = table.positive[0]
    assert (great.positive_count, great.negative_count) == (6, 0)
    assert great.z > 0 > table.negative[0].z
    assert great.z == pytest.approx(-table.negative[0].z)
    assert len(z_scores) == 4  # every word: fine, film, great, awful


def test_distinctive_words_and_probes():
    first, second, probes = distinctive_words(
        Counter({"alien": 9, "okay": 2, "the": 50}),
        Counter({"tarzan": 9, "okay": 2, "the": 50}),
        exclude=STOPWORDS,
        k=1,
        probes=("okay", "missing"),
    )
    assert first[0].term == "alien"
    assert second[0].term == "tarzan"
    assert [row.term for row in probes] == ["okay"]
    assert probes[0].z == pytest.approx(0.0)


def test_percentiles_and_coverage():
    summary = percentiles(np.arange(1, 101), max_length=40)
    assert summary.p50 == 50  # 50.5 rounds to even
    assert summary.p99 == 99
    assert summary.values == (50, 75, 90, 95, 99)
    assert summary.share_within_max_length == 0.4
    assert summary.token_share_kept == round((sum(range(1, 41)) + 60 * 40) / 5050, 4)
    assert coverage_curve(np.array([1, 6, 3]), [1, 2, 3, 10]) == [0.6, 0.9, 1.0, 1.0]


# ---------------------------------------------------------------------------------------------
# The command on a tiny archive

REVIEWS = {
    "train/pos": ["A great film, great acting!", "Wonderful <br />film. Great fun.", "I loved it; not bad at all."],
    "train/neg": ["A bad film. Awful acting.", "Boring and bad, I didn't like it.", "Awful. A waste of time."],
    "test/pos": ["Great story.", "A wonderful film.", "Loved the music."],
    "test/neg": ["Bad plot.", "Awful film.", "Not good."],
    "train/unsup": ["An okay film.", "Some film about a dog.", "Crawford stars."],
}


def write_archive(path: Path) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for folder, texts in REVIEWS.items():
            for review_id, text in enumerate(texts):
                rating = 0 if "unsup" in folder else (8 + review_id if "pos" in folder else 1 + review_id)
                data = text.encode("utf-8")
                member = tarfile.TarInfo(f"aclImdb/{folder}/{review_id}_{rating}.txt")
                member.size = len(data)
                archive.addfile(member, io.BytesIO(data))
    return path


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explore")
    archive = write_archive(folder / "tiny.tar.gz")
    out = folder / "insights"
    code = command.main(["--data", str(archive), "--out", str(out), "--expected-per-split", "6", "--quiet"])
    return code, out


def test_command_writes_every_file(tiny_run):
    code, out = tiny_run
    assert code == 0
    insights = json.loads((out / "insights.json").read_text())
    expected = {
        "class_balance.png",
        "lengths.png",
        "coverage.png",
        "ngrams.png",
        "ngrams_with_stopwords.png",
        "polarizing.png",
        "wordcloud_positive.png",
        "wordcloud_negative.png",
    }
    assert {Path(figure["file"]).name for figure in insights["figures"]} == expected
    assert {path.name for path in out.iterdir()} == expected | {"insights.json"}
    for figure in insights["figures"]:
        assert figure["file"].startswith("insights/")
        assert (out / Path(figure["file"]).name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert 1000 <= figure["width"] <= 1500, figure


def test_command_statistics_on_the_tiny_archive(tiny_run):
    _, out = tiny_run
    insights = json.loads((out / "insights.json").read_text())
    assert insights["splits"]["train"] == {
        "reviews": 6,
        "positive": 3,
        "negative": 3,
        "ratings": {"1": 1, "2": 1, "3": 1, "8": 1, "9": 1, "10": 1},
    }
    assert insights["splits"]["unlabelled"] == {"reviews": 3}
    # The models' normalisation: HTML dropped, "didn't" -> "did not", punctuation gone.
    without = insights["ngrams"]["without_stopwords"]
    # bad: "not bad", "a bad film", "boring and bad"; ties are alphabetical.
    assert without["unigrams"]["all"][:5] == [
        {"ngram": "bad", "count": 3},
        {"ngram": "film", "count": 3},
        {"ngram": "great", "count": 3},
        {"ngram": "acting", "count": 2},
        {"ngram": "awful", "count": 2},
    ]
    assert {"ngram": "not like", "count": 1} in without["bigrams"]["negative"]
    assert {"ngram": "not bad", "count": 1} in without["bigrams"]["positive"]
    assert insights["ngrams"]["with_stopwords"]["unigrams"]["all"][0] == {"ngram": "a", "count": 3}
    assert insights["polarizing"]["words"]["positive"][0]["term"] == "great"
    assert insights["polarizing"]["words"]["negative"][0]["term"] in {"awful", "bad"}
    assert insights["lengths"]["train"]["all"]["max"] == 8  # "boring and bad i did not like it"
    assert insights["coverage"]["training_vocabulary_size"] == 21
    assert insights["unlabelled"]["reviews"] == 3


def test_the_written_file_reads_back_as_the_typed_result(tiny_run):
    _, out = tiny_run
    raw = json.loads((out / "insights.json").read_text())
    insights = Insights.read(out / "insights.json")
    assert insights.to_dict() == raw
    assert insights.splits.train.positive == 3 and insights.unlabelled.reviews == 3
    assert insights.ngrams.without_stopwords.unigrams.all[0] == NgramCount("bad", 3)


def test_a_file_of_another_shape_is_refused():
    committed = json.loads((REPOSITORY / "static" / "insights" / "insights.json").read_text(encoding="utf-8"))
    for broken in ([], {"splits": {}}, {**committed, "splits": 1}, {**committed, "figures": [{"key": "a"}]}):
        with pytest.raises((KeyError, TypeError, ValueError)):
            Insights.from_dict(broken)
    with pytest.raises(TypeError):
        Insights.from_dict({**committed, "coverage": {**committed["coverage"], "max_tokens": "many"}})
    # Written before the typed records: no unlabelled reviews was {} rather than null.
    assert Insights.from_dict({**committed, "unlabelled": {}}).unlabelled is None


def test_missing_archive_is_a_clear_error(tmp_path, capsys):
    assert command.main(["--data", str(tmp_path / "nope.tar.gz"), "--out", str(tmp_path), "--quiet"]) == 1
    assert "not found" in capsys.readouterr().err


def test_committed_insights_reference_files_that_exist():
    """The Insights page serves static/insights/: every figure that insights.json names is committed."""
    folder = REPOSITORY / "static" / "insights"
    insights = json.loads((folder / "insights.json").read_text(encoding="utf-8"))
    assert len(insights["figures"]) == 8
    for figure in insights["figures"]:
        assert (REPOSITORY / "static" / figure["file"]).is_file(), figure["file"]
    total = sum(path.stat().st_size for path in folder.iterdir())
    assert total < 3 * 1024 * 1024
    # The page reads it as the typed result, and nothing in it is lost on the way.
    assert Insights.read(folder / "insights.json").to_dict() == insights
