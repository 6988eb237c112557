"""The report filters' select lists, drawn in Python (reports.forms.QuickSelect): the same
HTML as Django's own select, names escaped, the chosen option kept."""

import pytest
from django import forms
from django.test.html import parse_html

from reports.forms import QuickSelect, ReportFilterForm
from tests import factories

pytestmark = pytest.mark.django_db


def _both(choices, data):
    class Form(forms.Form):
        django = forms.ChoiceField(choices=choices, required=False)
        quick = forms.ChoiceField(choices=choices, required=False, widget=QuickSelect)

    form = Form({"django": data, "quick": data})
    form.is_valid()
    return (
        str(form["django"]).replace('name="django"', "").replace("id_django", "id_x"),
        str(form["quick"]).replace('name="quick"', "").replace("id_quick", "id_x"),
    )


@pytest.mark.parametrize("data", ["", "2", "not a choice"])
def test_the_quick_select_is_djangos_select(data):
    choices = [("", "All <teachers>"), ("1", "Oak & Elm"), ("2", '"Pine" cohort')]
    django, quick = _both(choices, data)
    assert parse_html(quick) == parse_html(django)
    assert "<teachers>" not in quick and "All &lt;teachers&gt;" in quick


def test_the_cohort_filter_lists_every_cohort_and_keeps_the_chosen_one():
    chosen = factories.cohort(name="<b>Maple</b>")
    factories.cohort(name="Birch")
    html = str(ReportFilterForm({"cohort": chosen.pk})["cohort"])
    assert f'<option value="{chosen.pk}" selected>&lt;b&gt;Maple&lt;/b&gt;</option>' in html
    assert ">Birch</option>" in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_report_rows_are_what_the_template_loop_drew(language):
    from django.template import Context, Template
    from django.utils import translation

    from reports.templatetags.report_tags import report_rows

    rows = [[1, "<b>Oak</b> & Elm", 12, 2.5, None, "50%"], [2, "Pine", 0, -1.25, "", 7]]
    loop = Template(
        '{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell|default_if_none:"—" }}'
        "</td>{% endfor %}</tr>{% if not forloop.last %}\n{% endif %}{% endfor %}"
    )
    with translation.override(language):
        assert report_rows(rows) == loop.render(Context({"rows": rows}))
    assert "&lt;b&gt;Oak&lt;/b&gt; &amp; Elm" in report_rows(rows)
