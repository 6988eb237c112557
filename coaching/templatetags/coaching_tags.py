from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

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
def matrix_cells(cells, markup: dict[str, str] | None = None) -> str:
    """A matrix row's cells: the icon and, for screen readers, the state's name. Each
    state's markup built once, per row or, given `markup`, per page: a tag and a translated
    label per cell (25 rows of 12 modules) were most of the time the page took to render."""
    markup = {} if markup is None else markup
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


class _ShortDates:
    """`|date:"SHORT_DATE_FORMAT"` for a page of rows: the format looked up once, each day
    formatted once (a page's dates are mostly the same few days). Datetimes are shown in the
    current time zone, as the template filter does; the short date format names no time."""

    def __init__(self):
        self.format = get_format("SHORT_DATE_FORMAT")
        self.done: dict = {}

    def __call__(self, value) -> str:
        if value is None:
            return ""
        if hasattr(value, "tzinfo") and timezone.is_aware(value):
            value = timezone.localtime(value).date()
        text = self.done.get(value)
        if text is None:
            text = self.done[value] = escape(format_date(value, self.format))
        return text


def _follow_ups(summary) -> str:
    """The follow-ups column: submitted of total, how many are due, the latest rubric mark.
    As blocktranslate does: the translation as it is, the numbers escaped into it."""
    if summary is None:
        return '<span class="meta">—</span>'
    html = gettext("%(done)s of %(total)s") % {
        "done": conditional_escape(summary.submitted),
        "total": conditional_escape(summary.total),
    }
    if summary.due:
        due = ngettext("%(n)s due", "%(n)s due", summary.due) % {
            "n": conditional_escape(summary.due)
        }
        html += f' <span class="badge badge--overdue">{due}</span>'
    if summary.rubric_label:
        html += format_html('<br><span class="meta">{}</span>', summary.rubric_label)
    return html


@register.simple_tag
def matrix_rows(matrix) -> str:
    """The matrix's body rows, in one tag: a page of 50 rows rendered through template
    nodes (a link tag, two date filters, an include and four translations per row) took
    most of the page's time. Each translation, the date format and the link's pattern are
    looked up once per page."""
    # The link to a teacher's reflections, reversed once: her id put in per row.
    marker = 2147483647
    link = [
        escape(part)
        for part in reverse("coaching:teacher_reflections", args=[marker]).split(str(marker))
    ]
    dates = _ShortDates()
    never = format_html('<span class="meta">{}</span>', gettext("Never"))
    overdue = format_html(' <span class="badge badge--overdue">{}</span>', gettext("Overdue"))
    done = format_html(' <span class="badge badge--complete">{}</span>', gettext("Done"))
    no_change = '<td class="matrix__num"><span class="meta">—</span></td>'
    overdue_row = ' class="row--overdue"'
    self_assessment = bool(matrix.course.self_assessment_id)
    cells: dict[str, str] = {}
    # Plain strings, each value escaped on its own: format_html's escaping of a dozen
    # already-safe parts per row cost more than the rest of the row.
    parts = []
    for row in matrix.rows:
        user = row.user
        change = ""
        if self_assessment:
            if row.self_assessment_change is None:
                change = no_change
            else:
                change = escape(signed(row.self_assessment_change))
                change = f'<td class="matrix__num">{change}</td>'
        parts.append(
            f"\n    <tr{overdue_row if row.overdue else ''}>\n"
            f'        <th scope="row"><a href="{link[0]}{int(user.pk)}{link[1]}">'
            f"{escape(user.full_name or user.email)}</a></th>\n"
            f"        {matrix_cells(row.cells, cells)}\n"
            f'        <td class="matrix__num">{int(row.percent)}%</td>\n'
            f"        <td>{dates(row.last_activity) if row.last_activity else never}</td>\n"
            f"        <td>{dates(row.due_on)}"
            f"{overdue if row.overdue else (done if row.complete else '')}</td>\n"
            f"        {change}\n"
            f"        <td>{_follow_ups(row.follow_ups)}\n</td>\n"
            "    </tr>\n    "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


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
