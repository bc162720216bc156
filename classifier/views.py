"""The Insights page: what the exploration found and how the models compare."""

from django.shortcuts import render

from classifier import registry

from .insights import load_exploration, load_model_results


def insights(request):
    """Both parts are read from files that commands write; a note stands where either is not generated yet."""
    exploration = load_exploration()
    context = {
        "insights": exploration.insights if exploration else None,
        "figures": exploration.figures if exploration else {},
        "models": load_model_results(),
        "served_model": registry.default_model_name(),
    }
    return render(request, "insights.html", context)
