"""The PD administrators' reports: who may open them, what they show, CSV, filters, queries."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

SLUGS = ["credit", "rates", "beliefs", "seat-time"]


def url(slug=None, **query):
    from urllib.parse import urlencode

    path = reverse("reports:report", args=[slug]) if slug else reverse("reports:index")
    return path + ("?" + urlencode(query) if query else "")


def count_again(client, path):
    """The page's "Count again" button: the figures kept for these filters go."""
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == path


@pytest.fixture
def admin_client(client):
    client.force_login(factories.pd_admin())
    return client


def test_a_pd_admin_finds_the_reports_in_the_menu_and_opens_each(admin_client, course):
    factories.report_world(course, teachers=4)
    admin_home = admin_client.get("/admin/").text
    assert reverse("reports:index") in admin_home
    index = admin_client.get(url()).text
    for slug in SLUGS:
        assert url(slug) in index
        response = admin_client.get(url(slug))
        assert response.status_code == 200
        assert 'role="img"' in response.text  # the chart, with its title and description
        assert f'data-report-table="{slug}"' in response.text


def test_reports_show_the_numbers(admin_client, course):
    world = factories.report_world(course, teachers=4)
    credit = admin_client.get(url("credit")).text
    # Two of the four completed, each certificate worth the course's 2 hours.
    assert "2 completions and 4 credit hours issued in the period." in credit
    row = re.search(r"<tr><td>[^<]+</td><td>Clock hours</td>(.*?)</tr>", credit).group(1)
    assert row == "<td>2</td><td>2</td><td>4</td>", row
    rates = admin_client.get(url("rates")).text
    # Four enrolled, two completed; both reviewed follow-ups marked "adapted".
    assert "<td>4</td><td>2</td><td>50%</td><td>2</td><td>100%</td>" in rates
    assert "Oak cohort" in rates
    beliefs = admin_client.get(url("beliefs")).text
    assert "I believe every student can learn." in beliefs
    # Both teachers who answered twice moved from 2 to 4.
    assert "<td>I believe every student can learn.</td><td>2</td><td>2</td>" in beliefs
    seat = admin_client.get(url("seat-time")).text
    module = world["module"]
    # Teachers had 10, 11, 12 and 13 minutes: median 11.5 against the estimate.
    assert f"<td>{module.title}</td><td>{module.estimated_minutes}</td><td>4</td><td>11.5</td>" in (
        seat
    )


def test_the_cohort_filter_keeps_to_its_members(admin_client, course):
    world = factories.report_world(course, teachers=4)
    seat = admin_client.get(url("seat-time", cohort=world["cohort"].pk)).text
    assert (
        f"<td>{world['module'].title}</td><td>{world['module'].estimated_minutes}</td><td>2</td>"
        in (seat)
    )
    rates = admin_client.get(url("rates", cohort=world["cohort"].pk)).text
    assert "<td>All teachers</td>" not in rates
    assert "<td>Oak cohort</td>" in rates


@pytest.mark.parametrize(
    "query, message",
    [
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "is after the end date"),
        ({"date_from": "2026-13-45"}, "Enter a valid date."),
        ({"date_to": "not a date"}, "Enter a valid date."),
        ({"date_to": "9999-12-31"}, "Choose a date between 2000 and 2100."),
        ({"course": "999999"}, "Select a valid choice."),
    ],
)
def test_impossible_filters_get_a_sentence_not_a_server_error(admin_client, course, query, message):
    for slug in SLUGS:
        response = admin_client.get(url(slug, **query))
        assert response.status_code == 200
        assert message in response.text
        assert "Fix the filters above to see the report." in response.text
    csv_response = admin_client.get(reverse("reports:csv", args=["credit"]) + "?date_to=nope")
    assert csv_response.status_code == 400


def test_the_date_range_keeps_to_its_days(admin_client, course):
    factories.report_world(course, teachers=2)
    today = timezone.localdate()
    inside = admin_client.get(url("credit", date_from=today, date_to=today)).text
    assert "1 completion and" in inside
    before = admin_client.get(url("credit", date_to=today.replace(year=today.year - 1))).text
    assert "0 completions and" in before


def test_csv_export_has_the_table_and_escapes_formulas(admin_client, course):
    course.title = "=HYPERLINK(1)"
    course.save_revision().publish()
    factories.report_world(course, teachers=2)
    response = admin_client.get(reverse("reports:csv", args=["seat-time"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="report-seat-time-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["#", "Course", "Module"]
    assert rows[1][1] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("who", ["teacher", "coach"])
def test_teachers_and_coaches_cannot_open_the_reports(client, course, who):
    person = factories.teacher() if who == "teacher" else factories.coach()
    client.force_login(person)
    for path in [url(), url("seat-time"), reverse("reports:csv", args=["seat-time"])]:
        assert client.get(path).status_code in (302, 403, 404)
    # Nor make the kept figures be counted again (work on every teacher's records).
    assert client.post(url("seat-time")).status_code in (302, 403, 404)
    assert reverse("reports:index") not in client.get("/admin/").text


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(url("credit"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_unknown_report_is_404(admin_client):
    assert admin_client.get(url("nothing-here")).status_code == 404


@pytest.mark.parametrize("slug", SLUGS)
def test_a_report_costs_the_same_queries_for_2_or_20_teachers(admin_client, catalogue, slug):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 20):
        course = factories.course_with_modules(catalogue, modules=2, slug=f"c{size}")
        factories.report_world(course, teachers=size)
        admin_client.get(url(slug, course=course.pk))  # the admin's menus and caches, warm
        count_again(admin_client, url(slug, course=course.pk))  # so the next view counts
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url(slug, course=course.pk)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _courses_and_cohorts(catalogue, n):
    """n courses and n cohorts, every cohort's members enrolled in every course."""
    from modules import services

    courses = [
        factories.course_with_modules(catalogue, modules=1, slug=f"grid{n}-{i}") for i in range(n)
    ]
    members = [
        factories.report_world(course, teachers=4, cohort_name=f"Cohort {n}-{i}")["people"][:2]
        for i, course in enumerate(courses)
    ]
    for people in members:
        for course in courses:
            for person in people:
                services.enroll(user=person, course=course)
    return courses


@pytest.mark.parametrize("slug", ["rates", "beliefs"])
def test_a_report_costs_the_same_queries_for_1_or_3_courses_and_cohorts(
    admin_client, catalogue, slug
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coaching.models import Cohort
    from modules.models import CoursePage

    counts, tables = [], []
    for n in (1, 3):
        # Each size alone: the first size's courses and cohorts would count in the second.
        CoursePage.objects.filter(slug__startswith="grid").delete()
        Cohort.objects.all().delete()
        _courses_and_cohorts(catalogue, n)
        admin_client.get(url(slug))  # the admin's menus and caches, warm
        count_again(admin_client, url(slug))  # the figures the warm view kept go
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url(slug))
        assert response.status_code == 200
        counts.append(len(queries))
        tables.append(response.text)
    # Rates: a row per course for all teachers, then one per cohort and course (1 + 1,
    # 3 + 9); beliefs: a row per course's statement.
    rows = {"rates": [2, 12], "beliefs": [1, 3]}[slug]
    assert [table.count("<tr><td>") for table in tables] == rows
    assert counts[0] == counts[1], counts


def _table_rows(html):
    return re.findall(r"<tr><td>(\d+)</td>", html)


def test_a_long_report_is_paged_and_its_chart_follows_the_page(admin_client, catalogue):
    course = factories.course_with_modules(catalogue, modules=30, slug="long")
    factories.report_world(course, teachers=2)
    first = admin_client.get(url("seat-time")).text
    assert _table_rows(first) == [str(n) for n in range(1, 26)]
    assert "Page 1 of 2" in first
    # The chart draws the rows on the page, numbered as the table numbers them.
    assert re.findall(r'data-number="(\d+)"', first) == [str(n) for n in range(1, 26)]
    second = admin_client.get(url("seat-time", p=2)).text
    assert _table_rows(second) == [str(n) for n in range(26, 31)]
    assert re.findall(r'data-number="(\d+)"', second) == [str(n) for n in range(26, 31)]
    # A page number typed by hand: past the end is the last page, nonsense the first.
    assert _table_rows(admin_client.get(url("seat-time", p=99)).text)[0] == "26"
    assert _table_rows(admin_client.get(url("seat-time", p="x")).text)[0] == "1"
    # The CSV is the whole table, whatever page the link was on.
    rows = list(
        csv.reader(
            io.StringIO(
                admin_client.get(
                    reverse("reports:csv", args=["seat-time"]) + "?p=2"
                ).content.decode()
            )
        )
    )
    assert len(rows) == 31


def test_figures_are_kept_until_counted_again_and_say_when_they_were_counted(
    admin_client, course, catalogue
):
    factories.report_world(course, teachers=2)
    page = admin_client.get(url("credit")).text
    assert "1 completion and 2 credit hours issued in the period." in page
    assert "These figures were counted on" in page and "Count again" in page
    # Two more teachers complete another course: the kept figures do not show them yet, and
    # the CSV is the same figures as the page it came from.
    other = factories.course_with_modules(catalogue, modules=1, slug="other")
    factories.report_world(other, teachers=4)
    assert "1 completion and" in admin_client.get(url("credit")).text
    stale = admin_client.get(reverse("reports:csv", args=["credit"])).content.decode()
    assert [row[2] for row in csv.reader(io.StringIO(stale))][1:] == ["1"]
    count_again(admin_client, url("credit"))
    assert "3 completions and 6 credit hours issued in the period." in (
        admin_client.get(url("credit")).text
    )
    fresh = admin_client.get(reverse("reports:csv", args=["credit"])).content.decode()
    assert [row[2] for row in csv.reader(io.StringIO(fresh))][1:] == ["3"]


def test_each_set_of_filters_is_counted_on_its_own(admin_client, course, catalogue):
    world = factories.report_world(course, teachers=4)
    everyone = admin_client.get(url("seat-time")).text
    members = admin_client.get(url("seat-time", cohort=world["cohort"].pk)).text
    module = world["module"]
    assert f"<td>{module.title}</td><td>{module.estimated_minutes}</td><td>4</td>" in everyone
    assert f"<td>{module.title}</td><td>{module.estimated_minutes}</td><td>2</td>" in members


def test_the_row_count_under_a_long_table_speaks_each_language():
    from django.utils import translation

    from reports.admin_views import RowPaginator

    paginator = RowPaginator(list(range(2020)), 25)
    with translation.override("en"):
        assert paginator.items_count_label == "2,020 rows"
    with translation.override("es"):  # grouped as US Spanish writes it (pdsite/formats/es)
        assert paginator.items_count_label == "2,020 filas"
    assert RowPaginator([1], 25).items_count_label == "1 row"


def test_counting_again_in_one_language_recounts_for_the_other(admin_client, course, catalogue):
    factories.report_world(course, teachers=2)
    spanish = {"HTTP_ACCEPT_LANGUAGE": "es"}
    kept = admin_client.get(url("credit"), **spanish).text  # kept in Spanish
    assert "1 curso completado y 2 horas de crédito" in kept
    factories.report_world(factories.course_with_modules(catalogue, slug="later"), teachers=2)
    count_again(admin_client, url("credit"))
    # The Spanish page counts again too: two completions now, not the one it kept.
    page = admin_client.get(url("credit"), **spanish).text
    assert "Volver a contar" in page
    assert "2 cursos completados y 4 horas de crédito" in page


def test_a_page_the_cache_let_go_of_is_counted_again_not_shown_empty(admin_client, catalogue):
    from django.core.cache import cache
    from django.utils import translation

    from reports import snapshots
    from reports.selectors import Filters

    course = factories.course_with_modules(catalogue, modules=30, slug="long")
    factories.report_world(course, teachers=2)
    assert _table_rows(admin_client.get(url("seat-time")).text)[0] == "1"
    with translation.override("en"):
        key = snapshots._key("seat-time", Filters())
        kept = cache.get(key)
        assert kept.row_count == 30
        # Memory ran short: the second page went, the heading stayed.
        cache.delete(snapshots._page_key(key, kept, 2))
    second = admin_client.get(url("seat-time", p=2)).text
    assert _table_rows(second) == [str(n) for n in range(26, 31)]
    with translation.override("en"):
        cache.delete(snapshots._page_key(key, cache.get(key), 1))
    rows = list(
        csv.reader(io.StringIO(admin_client.get(reverse("reports:csv", args=["seat-time"])).text))
    )
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 31)]
