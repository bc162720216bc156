"""Word-level explanations: exact shares of an n-gram model's log-odds, measured ones for the networks.

Every method answers (word, weight) for each whitespace-separated word, in text order; a positive weight
pushes towards positive, in log-odds. `explainer_for(model)` picks the method a model is served with:
- linear n-gram models (and the n-gram member of an ensemble): the exact split of the log-odds
  (ml.explanation.attributions.LinearNgramExplainer); the weights plus the bias add up to the log-odds;
- networks: Integrated Gradients on the embeddings against a padding baseline (chosen by the
  measurements in ml/results/RESULTS.md, `python -m ml.evaluation.explanations`);
- ensembles (a LogitStack): each member's weights scaled by its stacking weight.
Occlusion (delete a word, see how the log-odds move) is kept for comparison: deleting a word creates
n-grams that were never in the text and changes every other feature's normalisation.
"""

from __future__ import annotations

from ml.explanation import attributions
from ml.explanation.words import METHODS, perturbation


def explainer_for(
    model, manifest: dict | None = None, predict_logits=None, method: str = "auto", share: str | None = None
):
    """A function text -> Attribution for a loaded model (probabilities or log-odds out).

    `method` "auto" is what the site serves (exact for n-gram models, Integrated Gradients for networks,
    their stacked sum for ensembles); "occlusion" and "unk" perturb the whole model's input text."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if method in {"occlusion", "unk"}:
        logits = predict_logits or attributions.logits_function(model)
        replacement = attributions.unknown_tokens_for(model) if method == "unk" else None
        return lambda text: perturbation(logits, text, replacement)
    member_names = [member["name"] for member in (manifest or {}).get("member_artifacts") or []]
    return attributions.build(model, member_names or None, share=share or attributions.SHARE)
