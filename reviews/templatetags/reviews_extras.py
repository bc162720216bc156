"""Template filters of the review pages: probabilities as percentages people can read, signed weights."""

from django import template

from reviews import presenters

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


@register.filter
def signed(weight: float) -> str:
    """An explanation weight with its sign: "+2.31", "−1.20"."""
    try:
        return presenters.signed(float(weight))
    except (TypeError, ValueError):
        return ""


@register.filter
def magnitude(value: float) -> float:
    """abs(), for meters that draw how strong a negative weight is."""
    try:
        return abs(float(value))
    except (TypeError, ValueError):
        return 0.0
