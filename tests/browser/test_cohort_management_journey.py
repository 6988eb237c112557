"""A coach renames, archives and restores a cohort and edits feedback; a teacher moves
through a sequential course with Previous/Next and the module list (desktop and phone)."""

import datetime

import pytest
from django.utils import timezone

from coaching import feedback as coaching_feedback
from coaching import services
from modules import services as progress
from tests import factories
from tests.browser.conftest import (
    assert_no_sideways_scroll,
    check_accessibility,
    sign_in,
    start_signed_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def course(transactional_db):
    index = factories.site_tree()
    return factories.course_with_modules(index, modules=3, slug="equity", sequential=True)


def test_coach_renames_archives_restores_a_cohort_and_edits_feedback(page, phone, course):
    coach = factories.coach(full_name="Sam Okafor", email="sam@example.org")
    teacher = factories.teacher(full_name="Rosa Diaz", email="rosa@example.org")
    cohort = factories.cohort(coaches=[coach], members=[teacher], name="Spring")
    services.assign_course(
        cohort=cohort,
        course=course,
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        assigned_by=coach,
    )
    module = course.get_children().first().specific
    answer = factories.reflection(user=teacher, module=module, text="I asked more questions.")
    coaching_feedback.leave_feedback(coach=coach, answer=answer, kind="strength", body="Good.")

    sign_in(page, coach)
    page.goto(f"/coach/cohorts/{cohort.pk}/")
    check_accessibility(page, "cohort-01-page")
    page.get_by_role("link", name="Rename or describe").click()
    page.get_by_label("Name").fill("Spring 2027 student teachers")
    page.get_by_label("Description (optional)").fill("Placed in district schools.")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Spring 2027 student teachers"
    assert page.get_by_text("Placed in district schools.").is_visible()

    page.get_by_role("button", name="Archive").click()
    assert page.get_by_text("sends no reminders").first.is_visible()
    page.get_by_role("link", name="Coaching", exact=True).first.click()
    assert page.locator(".card h2").count() == 0
    page.get_by_role("link", name="1 archived cohort").click()
    check_accessibility(page, "cohort-02-archived-list")
    page.get_by_role("link", name="Spring 2027 student teachers").click()
    page.get_by_role("button", name="Restore").click()
    assert page.get_by_text("is back in your list").is_visible()
    page.goto("/coach/")
    assert page.locator(".card h2").all_inner_texts() == ["Spring 2027 student teachers"]

    page.goto(f"/coach/teachers/{teacher.pk}/reflections/")
    page.get_by_role("link", name="Edit your feedback").click()
    check_accessibility(page, "cohort-03-edit-feedback")
    page.get_by_label("Your feedback").fill("Good: you asked more open questions.")
    page.get_by_role("button", name="Save feedback").click()
    assert page.get_by_text("Good: you asked more open questions.").is_visible()
    assert page.get_by_text("(edited").is_visible()

    # The cohort page and the matrix at phone width: no sideways scrolling.
    # The same code works once: the phone gets a ready signed-in session instead.
    start_signed_in(phone, coach)
    phone.goto(f"/coach/cohorts/{cohort.pk}/")
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "cohort-04-page-phone")
    assignment = cohort.assignments.get()
    phone.goto(f"/coach/cohorts/{cohort.pk}/assignments/{assignment.pk}/")
    assert_no_sideways_scroll(phone)


def test_teacher_moves_through_a_sequential_course_with_previous_next_and_the_list(
    page, phone, course
):
    teacher = factories.teacher(full_name="Rosa Diaz", email="rosa@example.org")
    progress.enroll(user=teacher, course=course)
    first, second, third = [m.specific for m in course.get_children().order_by("path")]
    progress.complete_module(user=teacher, module=first)

    sign_in(page, teacher)
    page.get_by_role("link", name="Continue").first.click()
    page.wait_for_url(f"**{second.url}")
    nav = page.get_by_role("navigation", name="Modules in this course")
    assert nav.is_visible()  # open beside the module at desktop width
    assert nav.get_by_role("link").all_inner_texts() == ["1. Module 1"]
    assert page.get_by_text("Module 3, “Module 3”, opens once you finish this module.").is_visible()
    check_accessibility(page, "nav-01-module-desktop")
    page.get_by_role("link", name="Previous: Module 1").click()
    page.wait_for_url(f"**{first.url}")
    page.get_by_role("link", name="Next: Module 2").click()
    page.wait_for_url(f"**{second.url}")
    page.get_by_role("button", name="Mark this module complete").click()
    page.wait_for_url(f"**{third.url}")
    assert page.get_by_role("link", name="Previous: Module 2").is_visible()

    # On a phone the list starts collapsed and opens on a tap.
    sign_in(phone, teacher)
    phone.goto(third.url)
    assert_no_sideways_scroll(phone)
    list_nav = phone.get_by_role("navigation", name="Modules in this course")
    assert not list_nav.is_visible()
    phone.get_by_text("Modules in this course").first.click()
    assert list_nav.is_visible()
    check_accessibility(phone, "nav-02-module-phone")
