"""The course catalogue at /courses/ (modules/catalogue.py): filters by topic, credit hours
and credit type, search over titles and summaries, the threshold below which the plain list
shows, bad input, pagination and a flat query count."""

from __future__ import annotations

import re

import pytest

from modules.catalogue import COURSES_PER_PAGE
from tests import factories

pytestmark = pytest.mark.django_db

FILTERS_FROM = 5  # the catalogue page's default


def course_titles(response) -> list[str]:
    """The course titles in the list, in page order."""
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', response.text)


@pytest.fixture
def credit_types(db):
    return {
        "clock": factories.credit_type("Clock hours"),
        "ceu": factories.credit_type("Continuing education units", unit="CEUs"),
    }


@pytest.fixture
def full_catalogue(catalogue, credit_types):
    """Six courses: enough for the filters to show."""
    clock, ceu = credit_types["clock"], credit_types["ceu"]
    rows = [
        (
            "equity",
            "Equity in the classroom",
            "Seeing gaps as gaps in opportunity.",
            6,
            clock,
            ("equity", "high expectations"),
        ),
        (
            "families",
            "Partnering with families",
            "Two-way talk with parents and carers.",
            2,
            clock,
            ("families",),
        ),
        (
            "fractions",
            "Fractions for every student",
            "Grade-level math tasks with support.",
            1,
            ceu,
            ("mathematics", "high expectations"),
        ),
        (
            "feedback",
            "Feedback that lifts",
            "Comments that say how to improve.",
            3,
            ceu,
            ("assessment",),
        ),
        (
            "newcomers",
            "Welcoming newcomers",
            "The first weeks for students new to the country.",
            5,
            None,
            (),
        ),
        (
            "grouping",
            "Grouping without tracking",
            "Mixed groups on grade-level math.",
            8,
            ceu,
            ("mathematics",),
        ),
    ]
    return {
        slug: factories.catalogue_course(
            catalogue,
            slug=slug,
            title=title,
            summary=summary,
            credit_hours=hours,
            credit_type=kind,
            topics=topics,
        )
        for slug, title, summary, hours, kind, topics in rows
    }


def test_a_small_catalogue_is_a_plain_list_without_filters(client, catalogue):
    for number in range(FILTERS_FROM - 1):
        factories.catalogue_course(catalogue, slug=f"c{number}", topics=("equity",))
    response = client.get("/courses/")
    assert len(course_titles(response)) == FILTERS_FROM - 1
    assert 'role="search"' not in response.text
    # Filter parameters mean nothing to the plain list: every course still shows.
    assert len(course_titles(client.get("/courses/?topic=nothing&hours=abc"))) == 4


def test_one_more_course_brings_the_filters(client, catalogue):
    for number in range(FILTERS_FROM):
        factories.catalogue_course(catalogue, slug=f"c{number}")
    response = client.get("/courses/")
    assert 'role="search"' in response.text
    assert '<label for="id_topic">Topic</label>' in response.text
    assert "5 courses" in response.text


def test_an_editor_can_bring_the_filters_in_sooner_from_the_catalogue_page(client, catalogue):
    for number in range(2):
        factories.catalogue_course(catalogue, slug=f"c{number}")
    assert 'role="search"' not in client.get("/courses/").text
    catalogue.filters_from = 2
    catalogue.save_revision().publish()
    response = client.get("/courses/")
    assert 'role="search"' in response.text
    assert "2 courses" in response.text


def test_topic_filter_shows_the_courses_tagged_with_it(client, full_catalogue):
    response = client.get("/courses/?topic=mathematics")
    assert course_titles(response) == ["Fractions for every student", "Grouping without tracking"]
    assert "2 courses" in response.text
    # Each card names its topics; the topic menu offers only topics live courses use.
    assert '<span class="topic">mathematics</span>' in response.text
    assert '<option value="high-expectations">high expectations</option>' in response.text


@pytest.mark.parametrize(
    ("hours", "titles"),
    [
        ("up-to-2", ["Partnering with families", "Fractions for every student"]),
        ("2-to-5", ["Feedback that lifts", "Welcoming newcomers"]),
        ("over-5", ["Equity in the classroom", "Grouping without tracking"]),
    ],
)
def test_hours_filter_puts_each_course_in_one_range(client, full_catalogue, hours, titles):
    assert course_titles(client.get(f"/courses/?hours={hours}")) == titles


def test_credit_type_filter_shows_the_courses_of_that_type(client, full_catalogue, credit_types):
    ceu = credit_types["ceu"]
    response = client.get(f"/courses/?credit_type={ceu.pk}")
    assert course_titles(response) == [
        "Fractions for every student",
        "Feedback that lifts",
        "Grouping without tracking",
    ]
    # The menu lists the credit types the courses use, by name, and each card names its type.
    assert f'<option value="{ceu.pk}" selected>Continuing education units</option>' in (
        response.text
    )
    assert "1 credit hour · Continuing education units" in " ".join(response.text.split())


def test_a_credit_type_no_live_course_uses_is_not_offered(client, full_catalogue):
    unused = factories.credit_type("Graduate credit")
    response = client.get("/courses/")
    assert "Graduate credit" not in response.text
    response = client.get(f"/courses/?credit_type={unused.pk}")
    assert response.status_code == 200
    assert len(course_titles(response)) == 6  # the bad filter is left out, and says so
    assert "is not one of the choices, so this filter was left out" in response.text


def test_search_finds_words_in_titles_and_in_summaries(client, full_catalogue):
    assert course_titles(client.get("/courses/?q=families")) == ["Partnering with families"]
    # "improve" is only in a summary.
    assert course_titles(client.get("/courses/?q=improve")) == ["Feedback that lifts"]


def test_filters_and_search_combine(client, full_catalogue, credit_types):
    ceu = credit_types["ceu"]
    response = client.get(f"/courses/?q=math&topic=mathematics&hours=over-5&credit_type={ceu.pk}")
    assert course_titles(response) == ["Grouping without tracking"]
    response = client.get("/courses/?topic=high-expectations&hours=up-to-2")
    assert course_titles(response) == ["Fractions for every student"]


def test_no_match_says_so_and_links_to_the_whole_catalogue(client, full_catalogue):
    response = client.get("/courses/?topic=families&hours=over-5")
    assert course_titles(response) == []
    assert "0 courses" in response.text
    assert "No courses match these filters." in response.text
    assert '<a href="/courses/">Clear the filters and see every course</a>' in response.text


def test_the_form_keeps_the_chosen_filters_so_the_url_can_be_shared(client, full_catalogue):
    response = client.get("/courses/?q=math&hours=over-5")
    assert 'value="math"' in response.text
    assert '<option value="over-5" selected>' in response.text
    assert 'method="get"' in response.text


@pytest.mark.parametrize(
    "query",
    [
        "topic=no-such-topic",
        "hours=abc",
        "credit_type=abc",
        "credit_type=999999",
        "page=999",
        "page=abc",
        "q=" + "x" * 500,
        "topic=%00",
    ],
)
def test_bad_input_shows_the_catalogue_not_an_error(client, full_catalogue, query):
    response = client.get(f"/courses/?{query}")
    assert response.status_code == 200
    assert course_titles(response)


@pytest.mark.parametrize("q", ['"', "*", "(", ")", "AND", "-", "NEAR(", "math*", "a:b", "'"])
def test_search_syntax_characters_do_not_break_the_page(client, full_catalogue, q):
    response = client.get("/courses/", {"q": q})
    assert response.status_code == 200
    assert '<p class="catalogue-count" role="status">' in response.text


def test_an_unknown_topic_is_named_and_left_out(client, full_catalogue):
    response = client.get("/courses/?topic=no-such-topic&hours=up-to-2")
    # The hours filter still applies; the topic is reported and ignored.
    assert course_titles(response) == ["Partnering with families", "Fractions for every student"]
    assert "“no-such-topic” is not one of the choices" in response.text
    # The menu is marked invalid and points at the message, for screen readers.
    assert 'aria-describedby="id_topic_error"' in response.text
    assert '<p class="field-error" id="id_topic_error">' in response.text


def test_long_catalogues_are_paged_and_the_links_keep_the_filters(client, catalogue):
    for number in range(COURSES_PER_PAGE + 2):
        factories.catalogue_course(catalogue, slug=f"c{number:02d}", credit_hours=1)
    first = client.get("/courses/?hours=up-to-2")
    assert len(course_titles(first)) == COURSES_PER_PAGE
    assert "Page 1 of 2" in first.text
    assert 'href="?hours=up-to-2&amp;page=2"' in first.text
    second = client.get("/courses/?hours=up-to-2&page=2")
    assert len(course_titles(second)) == 2
    # A page past the end shows the last page.
    assert course_titles(client.get("/courses/?page=999")) == course_titles(second)


def test_draft_courses_stay_out_of_the_catalogue_and_its_count(client, full_catalogue):
    full_catalogue["grouping"].unpublish()
    response = client.get("/courses/?topic=mathematics")
    assert course_titles(response) == ["Fractions for every student"]
    assert "1 course" in response.text


def _catalogue_with(index, credit_types, count: int) -> None:
    for number in range(count):
        factories.catalogue_course(
            index,
            slug=f"c{number:02d}",
            title=f"Course about mathematics {number}",
            credit_hours=number % 7,
            credit_type=credit_types["ceu" if number % 2 else "clock"],
            topics=("mathematics", f"topic {number}"),
        )


@pytest.mark.parametrize("count", [3, 15])
def test_the_catalogues_query_count_does_not_grow_with_courses(
    client, catalogue, credit_types, django_assert_max_num_queries, count
):
    _catalogue_with(catalogue, credit_types, count)
    client.get("/courses/")  # warm the site and routing caches, as a running site has them
    # Three courses show the plain list, fifteen the filters: the same budget covers both.
    with django_assert_max_num_queries(6):
        response = client.get(
            f"/courses/?q=mathematics&topic=mathematics&hours=up-to-2"
            f"&credit_type={credit_types['ceu'].pk}"
        )
    assert course_titles(response)
    with django_assert_max_num_queries(6):
        response = client.get("/courses/")
    assert course_titles(response)
