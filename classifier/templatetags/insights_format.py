"""Template filters of the Insights page: shares as percentages, read from the typed exploration result."""

from django import template

from classifier.insights import as_percent

register = template.Library()


@register.filter
def share(value, digits: int = 1) -> str:
    """0.8734 -> "87.3%" ("—" for a missing value); unlike reviews' `percent`, 1.0 reads "100.0%"."""
    return as_percent(value, int(digits))
