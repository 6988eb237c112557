"""Pages and files that carry one person's reflections, feedback, progress or credit tell
browsers and proxies not to keep a copy (issue 19, item 11): a shared computer's cache or
back button, or a caching proxy, must not show them to the next person."""

import datetime

import pytest
from django.urls import reverse

from coaching import feedback as coaching_feedback
from coaching import services as coaching
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(course):
    """A teacher with a certificate and a reflection that their coach has answered."""
    course.credit_type = factories.credit_type()
    course.credit_hours = 6
    course.save()
    teacher = factories.teacher(full_name="Maya Chen")
    coach = factories.coach(full_name="Sam Okafor")
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    assignment = coaching.assign_course(
        cohort=cohort,
        course=course,
        due_on=datetime.date.today() + datetime.timedelta(days=14),
        assigned_by=coach,
    )
    module = course.get_children().first().specific
    answer = factories.reflection(user=teacher, module=module, text="What I noticed")
    coaching_feedback.leave_feedback(coach=coach, answer=answer, kind="question", body="What next?")
    certificate = factories.certificate(course, user=teacher)
    return {
        "teacher": teacher,
        "coach": coach,
        "cohort": cohort,
        "assignment": assignment,
        "certificate": certificate,
    }


# (who asks, the URL): each page's rightful viewer.
PAGES = {
    "reflections": ("teacher", lambda w: reverse("reflections")),
    "transcript": ("teacher", lambda w: reverse("certificates:transcript")),
    "transcript pdf": ("teacher", lambda w: reverse("certificates:transcript_pdf")),
    "transcript csv": ("teacher", lambda w: reverse("certificates:transcript_csv")),
    "certificate pdf": ("teacher", lambda w: w["certificate"].get_absolute_url()),
    "dashboard": ("teacher", lambda w: reverse("dashboard")),
    "coach's csv export": (
        "coach",
        lambda w: reverse("coaching:matrix_csv", args=[w["cohort"].pk, w["assignment"].pk]),
    ),
    "coach's view of reflections": (
        "coach",
        lambda w: reverse("coaching:teacher_reflections", args=[w["teacher"].pk]),
    ),
    # Public, but it must show a revocation at once, and it names a person.
    "verify": (None, lambda w: w["certificate"].get_verify_path()),
}


@pytest.mark.parametrize("page", PAGES)
def test_private_pages_and_exports_are_never_stored(client, world, page):
    viewer, url = PAGES[page]
    if viewer:
        client.force_login(world[viewer])
    response = client.get(url(world))
    assert response.status_code == 200
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "no-cache", "private"} <= directives
