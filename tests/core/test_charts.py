"""The SVG charts: shapes sit where their numbers say, and the page's chart and its table
show the same numbers."""

import datetime
import uuid

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from coaching import services as coaching
from core.charts import change_bar_chart, count_bar_chart, dumbbell_chart, progress_distribution
from modules import services as progress_services
from quizzes import services
from quizzes.grading import quiz_questions
from quizzes.models import AttemptKind
from tests import factories
from tests.factories import modules_of


def test_dumbbell_positions_follow_the_scale():
    chart = dumbbell_chart([("a", 1, 5), ("b", 3, None)])
    a, b = chart.rows
    assert a.x_before == chart.ticks[0].x and a.x_after == chart.ticks[-1].x
    assert b.x_before == chart.ticks[2].x and b.x_after is None
    assert b.y > a.y


def test_change_bars_grow_both_ways_from_zero():
    chart = change_bar_chart([("up", 2.0), ("down", -1.0), ("none", None)])
    up, down, none = chart.bars
    assert up.x == chart.zero_x and up.length == 2 * down.length
    assert down.x + down.length == chart.zero_x
    assert none.length == 0


def test_progress_bands_count_every_teacher_once():
    assert progress_distribution([0, 0, 10, 50, 99, 100]) == [
        ("0%", 2),
        ("1–24%", 1),
        ("25–49%", 0),
        ("50–74%", 1),
        ("75–99%", 1),
        ("100%", 1),
    ]
    chart = count_bar_chart(progress_distribution([0, 0, 100]))
    assert [bar.length > 0 for bar in chart.bars] == [True, False, False, False, False, True]


def _svg(html, selector="svg[data-chart]"):
    return BeautifulSoup(html, "html.parser").select(selector)


def _submit(teacher, sa, course, kind, values):
    questions = quiz_questions(sa)
    services.submit_attempt(
        user=teacher,
        quiz=sa,
        kind=kind,
        course=course,
        answers={q.id: [str(v)] for q, v in zip(questions, values, strict=True)},
        idempotency_key=uuid.uuid4(),
    )


@pytest.fixture
def finished(course, teacher):
    sa = factories.self_assessment()
    course.self_assessment = sa
    course.save(update_fields=["self_assessment"])
    progress_services.enroll(user=teacher, course=course)
    _submit(teacher, sa, course, AttemptKind.PRE, [2, 4])
    for module in modules_of(course):
        progress_services.complete_module(user=teacher, module=module)
    _submit(teacher, sa, course, AttemptKind.POST, [5, 3])
    return sa


@pytest.mark.django_db
def test_the_teachers_chart_matches_the_comparison_table(teacher_client, course, finished):
    page = BeautifulSoup(teacher_client.get(course.url).text, "html.parser")
    svg = page.select_one("#self-assessment svg[data-chart=dumbbell]")
    assert svg["role"] == "img"
    assert svg.find("title").get_text() and svg.find("desc").get_text()
    drawn = [(g["data-before"], g["data-after"]) for g in svg.select("g.chart__row")]
    table = [
        tuple(td.get_text().split()[0] for td in row.find_all("td"))
        for row in page.select("table.comparison tbody tr")
    ]
    assert drawn == table == [("2", "5"), ("4", "3")]


@pytest.mark.django_db
def test_the_cohort_charts_match_their_tables(client, teacher, course, finished):
    coach = factories.coach()
    cohort = factories.cohort(coaches=[coach], members=[teacher, factories.teacher()])
    coaching.assign_course(
        cohort=cohort,
        course=course,
        due_on=datetime.date.today() + datetime.timedelta(days=5),
        assigned_by=coach,
    )
    client.force_login(coach)
    page = BeautifulSoup(
        client.get(reverse("coaching:cohort_detail", args=[cohort.pk])).text, "html.parser"
    )
    bars = page.select("svg[data-chart=bars]")
    assert len(bars) == 2
    distribution, change = bars
    drawn = [g["data-value"] for g in distribution.select("g.chart__row")]
    counted = [
        td.get_text(strip=True)
        for td in page.select("table[data-chart-table=distribution] tbody td")
    ]
    assert drawn == counted == ["1", "0", "0", "0", "0", "1"]
    drawn = [float(g["data-value"]) for g in change.select("g.chart__row")]
    listed = [
        float(td["data-value"])
        for td in page.select("table[data-chart-table=change] tbody td[data-value]")
    ]
    assert drawn == listed == [3.0, -1.0]
    negative = change.select("rect.chart__bar--negative")
    assert len(negative) == 1


@pytest.mark.django_db
def test_reflections_show_the_same_chart_and_table_as_the_course_page(
    teacher_client, course, finished
):
    page = BeautifulSoup(teacher_client.get("/reflections/").text, "html.parser")
    section = page.select_one(".reflections-self-assessments")
    drawn = [(g["data-before"], g["data-after"]) for g in section.select("g.chart__row")]
    table = [
        tuple(td.get_text().split()[0] for td in row.find_all("td"))
        for row in section.select("table.comparison tbody tr")
    ]
    assert drawn == table == [("2", "5"), ("4", "3")]
