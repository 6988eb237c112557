from django import template
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

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
def matrix_cells(cells) -> str:
    """A matrix row's cells: the icon and, for screen readers, the state's name. One tag per
    row, each state's markup built once: a tag and a translated label per cell (25 rows of
    12 modules) were most of the time the matrix page took to render."""
    markup: dict[str, str] = {}
    parts = []
    for cell in cells:
        html = markup.get(cell.state)
        if html is None:
            html = markup[cell.state] = format_html(
                '<td class="matrix__cell"><span class="cell-icon cell-icon--{}" '
                'aria-hidden="true">{}</span><span class="visually-hidden">{}</span></td>',
                cell.state,
                cell_icon(cell.state),
                cell.label,
            )
        parts.append(html)
    return mark_safe("".join(parts))  # noqa: S308 - each part is format_html's escaped output


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
