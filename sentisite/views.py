"""Project-level pages that belong to no app: the Insights page."""

from django.shortcuts import render

from classifier import services as classifier_services

from .insights import load_insights, load_model_results


def insights(request):
    """What the exploration found and how the models compare; a note where either is not generated yet."""
    context = {
        "insights": load_insights(),
        "models": load_model_results(),
        "served_model": classifier_services.default_model_name(),
    }
    return render(request, "insights.html", context)
