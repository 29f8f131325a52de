"""The cost calculator's form on the programme page.

The programme page's view knows nothing of the calculator, so its include builds the
(unbound) form here from the published cost; the calculator's own page passes the
form it has already bound and checked.
"""

from __future__ import annotations

from typing import Any

from django import template

from guidebook.evidence.cost import describe_input
from guidebook.evidence.records import CostProfile
from guidebook.public.calculator import CostCalculatorForm

register = template.Library()


@register.simple_tag
def cost_calculator_form(
    cost: dict[str, Any], bound: Any = None, profile: Any = None
) -> CostCalculatorForm:
    """The calculator form for a programme whose published cost estimate is ``cost``
    and published cost profile ``profile``."""
    if isinstance(bound, CostCalculatorForm):
        return bound
    return CostCalculatorForm(profile=profile or CostProfile(), cost=cost)


@register.filter
def cost_input(value: Any, field: str) -> str:
    """A cost input's value in its unit: ``{{ item.low|cost_input:item.field }}``."""
    return describe_input(field, value)
