"""Where things live, in one place: the shipped artifacts, the generated results, the shared data."""

from pathlib import Path

ML_DIR = Path(__file__).resolve().parent
ROOT = ML_DIR.parent
ARTIFACTS_DIR = ML_DIR / "artifacts"  # the shipped models, one folder each
RESULTS_DIR = ML_DIR / "results"  # every generated result file: RESULTS.md, *.json, the ablations
STATIC_INSIGHTS = ROOT / "static" / "insights"  # the figures and insights.json that the Insights page shows
SHARED_DATA = ROOT.parent / "shared" / "data"  # the data sets beside the project (never copied into it)
