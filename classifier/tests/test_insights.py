"""The Insights page: the committed exploration renders, and a missing or broken file is a friendly note."""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from classifier import insights as loader

pytestmark = pytest.mark.django_db

REPOSITORY = Path(__file__).resolve().parents[2]
COMMITTED = REPOSITORY / "static" / "insights"
FRIENDLY = "Insights not generated yet"


@pytest.fixture
def site_root(tmp_path, settings):
    """An empty BASE_DIR: no insights.json and no results.json until a test writes them."""
    settings.BASE_DIR = tmp_path
    (tmp_path / "static" / "insights").mkdir(parents=True)
    (tmp_path / "ml").mkdir()
    return tmp_path


def copy_committed_insights(root: Path) -> dict:
    for path in COMMITTED.iterdir():
        shutil.copy(path, root / "static" / "insights" / path.name)
    return json.loads((COMMITTED / "insights.json").read_text(encoding="utf-8"))


def test_page_shows_every_committed_figure_and_the_tables(client):
    response = client.get(reverse("insights"))
    assert response.status_code == 200
    html = response.content.decode()
    committed = json.loads((COMMITTED / "insights.json").read_text(encoding="utf-8"))
    assert len(committed["figures"]) == 8
    for figure in committed["figures"]:
        assert f'src="/static/{figure["file"]}"' in html, figure["file"]
    assert FRIENDLY not in html
    # The tables: a polarizing word with its z-score, the percentiles, the model's coverage.
    top_positive = committed["polarizing"]["words"]["positive"][0]
    assert f"<td>{top_positive['term']}</td>" in html
    assert f"{top_positive['z']:.1f}" in html
    assert f">p{committed['lengths']['percentiles'][-1]}<" in html
    assert f"{committed['coverage']['coverage_at_max_tokens'] * 100:.2f}%" in html
    assert 'href="/static/css/insights.css"' in html


def test_page_obeys_the_content_security_policy(client):
    html = client.get(reverse("insights")).content.decode()
    assert "<style" not in html
    assert " style=" not in html
    assert "<script>" not in html and "onclick" not in html


def test_missing_insights_file_is_a_friendly_message(client, site_root):
    response = client.get(reverse("insights"))
    assert response.status_code == 200
    html = response.content.decode()
    assert FRIENDLY in html
    assert "python -m ml.exploration" in html
    assert "<img" not in html


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"splits": {}}',
        json.dumps({"splits": 1, "lengths": 2, "coverage": 3, "ngrams": 4, "polarizing": 5, "figures": 6}),
    ],
)
def test_broken_insights_file_is_a_friendly_message(client, site_root, content):
    (site_root / "static" / "insights" / "insights.json").write_text(content)
    response = client.get(reverse("insights"))
    assert response.status_code == 200
    assert FRIENDLY in response.content.decode()


def test_figures_missing_on_disk_are_left_out(client, site_root):
    copy_committed_insights(site_root)
    (site_root / "static" / "insights" / "lengths.png").unlink()
    html = client.get(reverse("insights")).content.decode()
    assert "insights/lengths.png" not in html
    assert 'src="/static/insights/coverage.png"' in html


def test_a_regenerated_file_is_read_again(client, site_root):
    path = site_root / "static" / "insights" / "insights.json"
    path.write_text("{broken")
    assert FRIENDLY in client.get(reverse("insights")).content.decode()
    copy_committed_insights(site_root)
    stamp = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))  # filesystems with coarse clocks: make the change visible
    assert FRIENDLY not in client.get(reverse("insights")).content.decode()


def test_model_comparison_missing_is_one_line(client, site_root):
    copy_committed_insights(site_root)
    html = client.get(reverse("insights")).content.decode()
    assert "No model comparison yet" in html
    assert "models.png" not in html


def test_model_comparison_table_and_plot(client, site_root, settings):
    settings.SENTIMENT_MODEL_DIR = site_root / "ml" / "artifacts" / "cnn"  # the served one
    copy_committed_insights(site_root)
    (site_root / "static" / "insights" / "models.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    results = {
        "models": [
            {
                "name": "cnn",
                "arch": "cnn",
                "test_accuracy": 0.8912,
                "test_f1_macro": 0.89115,
                "test_roc_auc": 0.9561,
                "train_seconds": 412.4,
                "params": 2_123_457,
                "model_bytes": 25_600_000,
                "latency_ms": 3.27,
            },
            {
                "name": "rnn",
                "arch": "rnn",
                "test_accuracy": 0.9034,
                "test_f1_macro": None,
                "test_roc_auc": 0.96,
                "train_seconds": 1200,
                "params": 1_000,
                "model_bytes": 1_000_000,
                "latency_ms": 9.5,
            },
        ],
        "plot": "insights/models.png",
    }
    (site_root / "ml" / "results.json").write_text(json.dumps(results))
    html = client.get(reverse("insights")).content.decode()
    assert "No model comparison yet" not in html
    assert "89.12%" in html and "90.34%" in html
    assert "2,123,457" in html and "25.6 MB" in html and "3.3 ms" in html and "412 s" in html
    assert '<th scope="row">rnn <span class="tag">best</span></th>' in html
    assert '<th scope="row">cnn <span class="tag">served</span></th>' in html
    assert "The site serves <strong>cnn</strong>" in html
    assert 'src="/static/insights/models.png"' in html


def test_an_ensemble_of_one_model_reads_as_that_model_calibrated():
    assert loader._architecture({"arch": "ensemble", "members": ["nbsvm_tfidf"]}) == "nbsvm_tfidf, calibrated"
    assert loader._architecture({"arch": "ensemble", "members": ["nbsvm_tfidf", "cnn", "rcnn"]}) == "ensemble"
    assert loader._architecture({"arch": "cnn"}) == "cnn"


def test_model_comparison_plot_outside_static_is_ignored(client, site_root):
    copy_committed_insights(site_root)
    (site_root / "ml" / "results.json").write_text(json.dumps({"models": [], "plot": "../ml/results/results.json"}))
    html = client.get(reverse("insights")).content.decode()
    assert "results.json" not in html
    assert "No model comparison yet" in html


def test_loader_caches_one_parse_per_file_version(site_root):
    copy_committed_insights(site_root)
    first = loader.load_exploration()
    assert first is not None and first is loader.load_exploration()
    assert first.insights.coverage.max_tokens == 30_000
    assert set(first.figures) == {figure.key for figure in first.insights.figures}


def test_explanation_figures_are_shown_under_the_model_comparison(client, site_root):
    copy_committed_insights(site_root)
    row = {
        "model": "default",
        "method": "served: exact",
        "reviews": 1000,
        "aopc": "1.90 / 3.92 / 5.27 / 6.81",
        "aopc_random": "0.04 / 0.23 / 0.43 / 0.81",
        "ratio": "11.9×",
        "lexicon": "96.1% (2,345)",
        "stop_words": "2.0%",
        "p50": "2.1 ms",
    }
    results = {
        "models": [{"name": "default", "arch": "ensemble", "test_accuracy": 0.92}],
        "explanations": [row, {**row, "model": "<script>"}, {"model": "broken"}],
    }
    (site_root / "ml" / "results.json").write_text(json.dumps(results))
    html = client.get(reverse("insights")).content.decode()
    assert "Can you believe the highlighted words?" in html
    assert "served: exact" in html and "1.90 / 3.92 / 5.27 / 6.81" in html and "96.1% (2,345)" in html
    assert "<script>" not in html and "&lt;script&gt;" in html  # escaped like every other value
    assert "broken" not in html


def test_calibration_figures_and_the_reliability_diagram_are_shown(client, site_root):
    copy_committed_insights(site_root)
    row = {
        "model": "default",
        "fit": "slope 1.002, bias -0.001 (random split)",
        "accuracy": "91.99%",
        "ece": "0.0065",
        "brier": "0.0594",
        "log_loss": "0.2032",
        "short": "0.061 (67)",
        "imdb": "87.3% / 0.020",
        "amazon": "77.6% / 0.049",
        "yelp": "80.1% / 0.033",
        "bands": "high 80% at 97.0%",
    }
    (site_root / "static" / "insights" / "reliability.png").write_bytes(b"\x89PNG")
    results = {
        "models": [{"name": "default", "arch": "ensemble", "test_accuracy": 0.92}],
        "calibration": [row, {**row, "ece": 0.5}],
        "reliability_plot": "insights/reliability.png",
    }
    (site_root / "ml" / "results.json").write_text(json.dumps(results))
    html = client.get(reverse("insights")).content.decode()
    assert "What “how sure” means" in html
    assert "slope 1.002, bias -0.001 (random split)" in html and "77.6% / 0.049" in html and "high 80% at 97.0%" in html
    assert html.count("0.061 (67)") == 1  # the row with a number where text belongs is left out
    assert "insights/reliability" in html
