"""Project-level pages that belong to no app: the Insights page."""

from django.shortcuts import render

from .insights import load_insights, load_model_results


def insights(request):
    """What the exploration found and how the models compare; a note where either is not generated yet."""
    return render(request, "insights.html", {"insights": load_insights(), "models": load_model_results()})
