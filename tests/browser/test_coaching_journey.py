import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from accounts.second_factor import has_second_factor
from coaching import matrix as coaching_matrix
from coaching import services
from coaching.models import Assignment, Cohort
from modules import services as progress
from modules.models import Enrollment
from tests import factories
from tests.browser.conftest import (
    assert_no_sideways_scroll,
    check_accessibility,
    start_signed_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def course(transactional_db):
    index = factories.site_tree()
    return factories.course_with_modules(index, modules=3, slug="equity")


def sign_in(page, email, password=factories.PASSWORD):
    user = get_user_model().objects.get(email=email)
    if has_second_factor(user):
        # The coach signs in several times within a minute; a code works once, so the
        # sign-in with a code is tested in test_accounts_journey.py and here the coach's
        # browser starts signed in.
        start_signed_in(page, user)
        return
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")


def test_coach_invites_assigns_follows_progress_and_gives_feedback(page, live_server, course):
    coach = factories.coach(full_name="Sam Okafor", email="sam@example.org")
    other = factories.teacher(full_name="Already Here", email="already@example.org")
    due = timezone.localdate() + datetime.timedelta(days=14)

    # The coach creates a cohort and invites a new teacher.
    sign_in(page, coach.email)
    page.get_by_role("link", name="Coaching").click()
    check_accessibility(page, "coach-01-cohorts-empty")
    page.get_by_role("link", name="Create a cohort").click()
    page.get_by_label("Name").fill("Spring 2027 student teachers")
    page.get_by_label("Program (optional)").fill("Elementary certification")
    check_accessibility(page, "coach-02-create-cohort")
    page.get_by_role("button", name="Create cohort").click()
    page.get_by_label("Teacher's email address").fill("rosa@example.org")
    page.get_by_label("Full name (optional)").fill("Rosa Diaz")
    page.get_by_role("button", name="Add teacher").click()
    assert page.get_by_text("An invitation was sent to rosa@example.org.").is_visible()
    # An existing account is invited the same way: the coach cannot tell the difference.
    page.get_by_label("Teacher's email address").fill(other.email)
    page.get_by_role("button", name="Add teacher").click()
    assert page.get_by_text(f"An invitation was sent to {other.email}.").is_visible()
    assert page.get_by_role("link", name="2 invitations waiting").is_visible()
    check_accessibility(page, "coach-03-cohort-invited")
    page.get_by_role("link", name="2 invitations waiting").click()
    check_accessibility(page, "coach-04-invitations")
    sign_out(page)

    # The teacher opens the email link: a consent page names the coach and what they will
    # see; she creates her account (the address already filled in) and accepts.
    to_rosa = next(m for m in mail.outbox if m.to == ["rosa@example.org"])
    link = re.search(r"http://[^/]+(/invitations/\S+)", to_rosa.body).group(1)
    page.goto(link)
    assert page.get_by_role("heading", name="What the cohort's coaches will see").is_visible()
    assert page.get_by_text("Sam Okafor", exact=True).is_visible()
    check_accessibility(page, "coach-04b-invitation-consent-anonymous")
    page.get_by_role("link", name="Create your account").click()
    assert page.get_by_label("Email").input_value() == "rosa@example.org"
    page.get_by_label("Full name").fill("Rosa Diaz")
    page.get_by_label("Password:", exact=True).fill("kind-words-2026!")
    page.get_by_label("Password (again)").fill("kind-words-2026!")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(f"**{link}")
    assert not Cohort.objects.get().members.exists()
    check_accessibility(page, "coach-04c-invitation-consent-signed-in")
    page.get_by_role("button", name="Accept and join").click()
    page.wait_for_url("**/dashboard/")
    assert page.get_by_text("You joined Spring 2027 student teachers").is_visible()
    assert page.get_by_role("button", name="Leave this cohort").is_visible()
    check_accessibility(page, "coach-04d-dashboard-cohort")
    assert Cohort.objects.get().members.get().email == "rosa@example.org"
    sign_out(page)

    # The coach assigns the course with a due date.
    sign_in(page, coach.email)
    page.goto("/coach/")
    page.get_by_role("link", name="Spring 2027 student teachers").click()
    page.get_by_role("link", name="Assign a course").click()
    page.get_by_label("Course").select_option(label=course.title)
    page.get_by_label("Due date").fill(due.isoformat())
    check_accessibility(page, "coach-05-assign")
    page.get_by_role("button", name="Assign").click()
    page.wait_for_url("**/assignments/**")
    check_accessibility(page, "coach-06-matrix-not-started")
    sign_out(page)

    # The teacher sees the assignment on the dashboard and completes a module.
    sign_in(page, "rosa@example.org", "kind-words-2026!")
    assignments = page.get_by_role("region", name="Assigned to you")
    assert assignments.get_by_role("link", name=course.title).is_visible()
    check_accessibility(page, "coach-07-teacher-dashboard")
    page.goto(course.get_children().first().url)
    page.get_by_role("button", name="Mark this module complete").click()
    page.wait_for_url("**/module-2/")
    rosa = Enrollment.objects.get(course=course).user
    # The quiz app stores reflections; here the answer is written as it would store it.
    factories.reflection(
        user=rosa,
        module=course.get_children().first().specific,
        text="My quieter students answered more when I gave them time to write first.",
    )
    sign_out(page)

    # The coach sees the progress and leaves feedback on the reflection.
    sign_in(page, coach.email)
    page.goto(f"/coach/cohorts/{Cohort.objects.get().pk}/")
    page.get_by_role("link", name=re.compile(f"^Progress.*{course.title}")).click()
    row = page.get_by_role("row", name=re.compile("Rosa Diaz"))
    assert "33%" in row.inner_text()
    assert row.get_by_text("Complete").count() == 1
    check_accessibility(page, "coach-08-matrix-progress")
    page.get_by_role("link", name="Rosa Diaz").click()
    check_accessibility(page, "coach-09-reflections")
    page.get_by_label("Suggestion").check()
    page.get_by_label("Your feedback").fill("Try the write-first routine in science too.")
    page.get_by_role("button", name="Send feedback").click()
    assert page.get_by_text("Feedback sent.").is_visible()
    check_accessibility(page, "coach-10-feedback-sent")
    assert mail.outbox[-1].to == ["rosa@example.org"]
    sign_out(page)

    # The teacher reads the feedback and replies once.
    sign_in(page, "rosa@example.org", "kind-words-2026!")
    page.get_by_role("link", name="Feedback from your coach").click()
    assert page.get_by_text("Try the write-first routine in science too.").is_visible()
    check_accessibility(page, "coach-11-teacher-feedback")
    page.get_by_label("Your reply").fill("I will, thank you!")
    page.get_by_role("button", name="Send reply").click()
    assert page.get_by_text("I will, thank you!").is_visible()
    assert page.get_by_role("button", name="Send reply").count() == 0
    page.goto("/account/reminders/")
    check_accessibility(page, "coach-12-reminder-settings")


def _cohort_of_thirty(course, coach):
    """30 teachers at every stage, for the matrix screenshots."""
    first_names = "Ana Ben Cara Dev Eli Fay Gus Hana Ivo Jun Kai Lea Max Nia Oto".split()
    last_names = ["Alvarez", "Brooks"]
    teachers = [
        factories.teacher(full_name=f"{first} {last}")
        for last in last_names
        for first in first_names
    ]
    cohort = factories.cohort(coaches=[coach], members=teachers, name="Fall 2027 residents")
    services.assign_course(
        cohort=cohort,
        course=course,
        due_on=timezone.localdate() - datetime.timedelta(days=1),
        assigned_by=coach,
    )
    modules = [m.specific for m in course.get_children()]
    for number, teacher in enumerate(teachers):
        done = number % 4
        for module in modules[:done]:
            progress.mark_module_complete(user=teacher, module=module, course=course)
        if done < len(modules) and number % 3 == 0:
            progress.record_module_visit(user=teacher, module=modules[done], course=course)
        if number % 5 == 1 and done < len(modules):
            factories.attempt(user=teacher, module=modules[done], passed=False)
    return cohort


def test_the_matrix_reads_well_with_thirty_teachers(page, phone, live_server, transactional_db):
    index = factories.site_tree()
    course = factories.course_with_modules(index, modules=6, slug="six-modules")
    coach = factories.coach(full_name="Sam Okafor")
    cohort = _cohort_of_thirty(course, coach)
    assignment = Assignment.objects.get(cohort=cohort)
    url = f"/coach/cohorts/{cohort.pk}/assignments/{assignment.pk}/"

    sign_in(page, coach.email)
    page.goto(url)
    assert page.get_by_role("row").count() == 31
    check_accessibility(page, "coach-20-matrix-30-rows-1280")
    page.get_by_role("link", name="Done").click()
    assert "sort=-percent" in page.url
    page.get_by_role("link", name="Not started").click()
    expected = coaching_matrix.progress_matrix(
        cohort=cohort, assignment=assignment, show="not_started"
    )
    assert page.get_by_role("row").count() == 1 + len(expected.rows)
    check_accessibility(page, "coach-21-matrix-filtered")

    # Adding teachers from a CSV file: check, report, then import the good rows.
    page.goto(f"/coach/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="Add many from a CSV file").click()
    check_accessibility(page, "coach-24-csv-upload")
    page.get_by_label("CSV file").set_input_files(
        files=[
            {
                "name": "teachers.csv",
                "mimeType": "text/csv",
                "buffer": b"email,full name\nnew.one@example.org,New One\nbroken,Broken Row\n",
            }
        ]
    )
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_text("is not a valid email address").is_visible()
    check_accessibility(page, "coach-25-csv-report")
    page.get_by_role("button", name="Invite the 1 good row").click()
    assert page.get_by_text("Imported 1 row: 1 invited, 0 already there.").is_visible()

    sign_in(phone, coach.email)
    phone.goto(url)
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "coach-22-matrix-phone")
    phone.goto(f"/coach/cohorts/{cohort.pk}/")
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "coach-23-cohort-phone")


def test_a_teacher_opening_the_admin_is_told_she_has_no_access(page, live_server, course):
    teacher = factories.teacher(full_name="Tess Teacher")
    page.goto("/admin/login/")
    page.wait_for_url("**/accounts/login/**")
    sign_in(page, teacher.email)
    page.goto("/admin/")
    assert page.get_by_role("heading", name="You do not have access to this page").is_visible()
    check_accessibility(page, "security-01-admin-no-access")
