"""Project-level pages that belong to no app: the Insights page."""

from django.shortcuts import render


def insights(request):
    return render(request, "insights.html")
