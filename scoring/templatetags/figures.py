"""Template filters that show a ranking's figures at the precision of scoring.precision."""

from django import template
from django.template.defaultfilters import floatformat

from scoring.precision import SCORE_DECIMALS, SHARE_DECIMALS

register = template.Library()


@register.filter
def as_score(value):
    """A criterion score, total or spread, in the locale's number format."""
    return "" if value is None or value == "" else floatformat(value, SCORE_DECIMALS)


@register.filter
def as_share(value):
    """A rank confidence or an agreement coefficient, in the locale's number format."""
    return "" if value is None or value == "" else floatformat(value, SHARE_DECIMALS)
