from django import template
from django.utils.http import urlencode

from modules.enums import ModuleState

register = template.Library()

ICONS = {
    ModuleState.COMPLETE: "✓",
    ModuleState.IN_PROGRESS: "◐",
    ModuleState.QUIZ_FAILED: "✗",
    ModuleState.NOT_STARTED: "○",
}


@register.filter
def feedback_on(feedback_by_answer, answer):
    """`feedback_by_answer|feedback_on:answer`: that answer's feedback list (no query)."""
    if not feedback_by_answer:
        return []
    return feedback_by_answer.get(answer.pk, [])


@register.simple_tag
def cell_icon(state) -> str:
    return ICONS.get(state, "")


@register.simple_tag
def query_with(**params) -> str:
    return urlencode({key: value for key, value in params.items() if value})


@register.filter
def signed(value) -> str:
    if value is None:
        return ""
    number = float(value)
    text = f"{number:+.1f}"
    return text.replace("-", "−")
