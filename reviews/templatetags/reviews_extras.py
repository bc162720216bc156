"""Template filters of the review pages: probabilities as percentages people can read."""

from django import template

register = template.Library()


@register.filter
def percent(probability: float, digits: int = 1) -> str:
    """0.8734 -> "87.3%"; a sigmoid is never certain, so its extremes read ">99.9%" and "<0.1%", not "100%"."""
    try:
        value = float(probability) * 100
        digits = int(digits)
    except (TypeError, ValueError):
        return ""
    smallest = 10**-digits
    # float32 saturates to exactly 0.0 or 1.0 for very clear reviews; that is not certainty either.
    if value < smallest:
        return f"<{smallest:.{digits}f}%"
    if value > 100 - smallest:
        return f">{100 - smallest:.{digits}f}%"
    return f"{value:.{digits}f}%"
