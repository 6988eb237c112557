"""The course catalogue's filters and search in the browser, at desktop and phone width:
a GET form with labels, shareable URLs, a results count and a way back to every course."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, check_accessibility

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _catalogue():
    index = factories.site_tree()
    clock = factories.credit_type("Clock hours")
    continuing = factories.credit_type("Continuing education credit")
    rows = [
        ("Closing the achievement gap", 6, clock, ("equity", "high expectations")),
        ("Grade-level math for every student", 1, continuing, ("mathematics",)),
        ("Partnering with families", 2, clock, ("families",)),
        ("Feedback that moves learning", 3, continuing, ("assessment",)),
        ("Welcoming newcomers", 4, clock, ("equity",)),
        ("Grouping without tracking", 8, continuing, ("mathematics", "high expectations")),
    ]
    for number, (title, hours, kind, topics) in enumerate(rows):
        factories.catalogue_course(
            index,
            slug=f"course-{number}",
            title=title,
            summary=f"A course on {', '.join(topics)} for classroom teachers.",
            credit_hours=hours,
            credit_type=kind,
            topics=topics,
        )


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_teacher_narrows_the_catalogue_and_clears_the_filters(request, width):
    _catalogue()
    page = request.getfixturevalue("page" if width == "desktop" else "phone")
    page.goto("/courses/")
    expect(page.get_by_role("status")).to_have_text("6 courses")
    check_accessibility(page, f"catalogue-{width}")
    assert_no_sideways_scroll(page)

    page.get_by_label("Topic").select_option(label="mathematics")
    page.get_by_label("Credit hours").select_option(label="More than 5 hours")
    page.get_by_role("button", name="Show courses").click()
    expect(page.get_by_role("status")).to_have_text("1 course")
    expect(page.get_by_role("heading", level=2)).to_have_text(["Grouping without tracking"])
    assert re.search(r"topic=mathematics.*hours=over-5", page.url)  # a URL to share
    check_accessibility(page, f"catalogue-filtered-{width}")
    assert_no_sideways_scroll(page)

    page.get_by_label("Search titles and summaries").fill("families")
    page.get_by_role("button", name="Show courses").click()
    expect(page.get_by_text("No courses match these filters.")).to_be_visible()
    check_accessibility(page, f"catalogue-no-match-{width}")
    page.get_by_role("link", name="Clear the filters and see every course").click()
    expect(page.get_by_role("status")).to_have_text("6 courses")

    page.get_by_label("Credit type").select_option(label="Continuing education credit")
    page.get_by_label("Search titles and summaries").fill("mathematics")
    page.get_by_role("button", name="Show courses").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(
        ["Grade-level math for every student", "Grouping without tracking"]
    )
