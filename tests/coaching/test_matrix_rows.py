"""The matrix's body rows, built by one tag (coaching_tags.matrix_rows), read exactly as the
row template they replaced did: every column's branches, in English and Spanish, with the
last activity shown in the coach's time zone."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from coaching.matrix import Cell, TeacherRow
from coaching.templatetags.coaching_tags import matrix_rows
from followups.selectors import FollowUpSummary
from modules.enums import ModuleState

# The loop the tag replaced (templates/coaching/matrix.html and its follow-ups include).
ROW_TEMPLATE = """{% load i18n coaching_tags %}<tbody>
    {% for row in matrix.rows %}
    <tr{% if row.overdue %} class="row--overdue"{% endif %}>
        <th scope="row"><a href="{% url 'coaching:teacher_reflections' row.user.pk %}">{{ row.user.full_name|default:row.user.email }}</a></th>
        {% matrix_cells row.cells %}
        <td class="matrix__num">{{ row.percent }}%</td>
        <td>{% if row.last_activity %}{{ row.last_activity|date:"SHORT_DATE_FORMAT" }}{% else %}<span class="meta">{% translate "Never" %}</span>{% endif %}</td>
        <td>{{ row.due_on|date:"SHORT_DATE_FORMAT" }}{% if row.overdue %} <span class="badge badge--overdue">{% translate "Overdue" %}</span>{% elif row.complete %} <span class="badge badge--complete">{% translate "Done" %}</span>{% endif %}</td>
        {% if matrix.course.self_assessment_id %}<td class="matrix__num">{% if row.self_assessment_change is not None %}{{ row.self_assessment_change|signed }}{% else %}<span class="meta">—</span>{% endif %}</td>{% endif %}
        <td>{% with summary=row.follow_ups %}{% if summary %}{% blocktranslate with done=summary.submitted total=summary.total %}{{ done }} of {{ total }}{% endblocktranslate %}{% if summary.due %} <span class="badge badge--overdue">{% blocktranslate count n=summary.due %}{{ n }} due{% plural %}{{ n }} due{% endblocktranslate %}</span>{% endif %}{% if summary.rubric_label %}<br><span class="meta">{{ summary.rubric_label }}</span>{% endif %}{% else %}<span class="meta">—</span>{% endif %}{% endwith %}
</td>
    </tr>
    {% endfor %}
    </tbody>"""  # noqa: E501


def _row(pk, name, **fields):
    user = SimpleNamespace(pk=pk, full_name=name, email=f"t{pk}@example.org")
    cells = [Cell(module=None, state=state) for state in ModuleState.values]
    defaults = {
        "percent": 50,
        "complete": False,
        "last_activity": None,
        "due_on": datetime.date(2027, 3, 1),
        "overdue": False,
    }
    return TeacherRow(user=user, cells=cells, **(defaults | fields))


ROWS = [
    # late in the evening in the coach's time zone: already the next day in UTC
    _row(
        1,
        "Ada <Lovelace>",
        last_activity=datetime.datetime(2027, 2, 3, 3, 30, tzinfo=datetime.UTC),
        overdue=True,
        self_assessment_change=1.5,
        follow_ups=FollowUpSummary(submitted=1, total=3, due=2, rubric_label="Partly & more"),
    ),
    _row(2, "", complete=True, percent=100, self_assessment_change=-0.5),
    _row(
        3,
        "Bo",
        due_on=None,
        last_activity=datetime.datetime(2027, 2, 3, 12, tzinfo=datetime.UTC),
        follow_ups=FollowUpSummary(submitted=2, total=2, due=1),
    ),
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("self_assessment_id", [None, 7])
def test_the_rows_read_as_the_row_template_did(language, self_assessment_id):
    matrix = SimpleNamespace(
        course=SimpleNamespace(self_assessment_id=self_assessment_id), rows=ROWS
    )
    with translation.override(language), timezone.override("America/Mexico_City"):
        expected = Template(ROW_TEMPLATE).render(Context({"matrix": matrix}))
        html = matrix_rows(matrix)
    assert f"<tbody>\n    {html}\n    </tbody>" == expected
    assert ("Nunca" if language == "es" else "Never") in html
    assert "Ada &lt;Lovelace&gt;" in html and "Partly &amp; more" in html
