"""The demo coach's cohort: teachers at different stages, the starter course assigned two
weeks out, one teacher overdue on a personal deadline, one reflection with feedback."""

from __future__ import annotations

import datetime

from django.utils import timezone

from coaching import feedback as coaching_feedback
from coaching import invitations as coaching_invitations
from coaching import services as coaching
from coaching.enums import FeedbackKind
from coaching.models import Assignment, Cohort, Feedback, Invitation
from modules.models import CoursePage
from quizzes.grading import REFLECTION
from quizzes.models import Answer

from .accounts import ensure_teacher
from .quizzes import DEMO_REFLECTION, take_course

COACHING_DEMO_TEACHERS = [
    # email, full name, modules of the starter course passed (0: assigned, not started)
    ("maya.chen@example.com", "Maya Chen", 0),
    ("luis.ortega@example.com", "Luis Ortega", 2),
    ("dev.patel@example.com", "Dev Patel", 1),
]
LUIS = "luis.ortega@example.com"  # his reflection has the coach's feedback
COACHING_DEMO_COHORT = "Spring 2027 student teachers"
# Luis Ortega's reflection (the module's prompts ask for at least 80 words).
COACHING_DEMO_REFLECTION = (
    "I tracked who I called on during one math lesson. Most of my questions went to the four "
    "students who raise their hands first, and the quieter students, several of them still "
    "learning English, hardly spoke at all. That is a classroom cause I can influence this "
    "term: the students who answer are the ones who get to practise explaining their "
    "thinking. Next week I will use name sticks and wait five seconds before taking an "
    "answer, and let everyone try the question with a partner first. Then I will track one "
    "lesson again and compare."
)
COACHING_DEMO_FEEDBACK = (
    "Counting who you called on is a strong first step. Try it again after a week of name "
    "sticks and compare."
)


def _demo_teacher_accepts(*, cohort, coach, teacher):
    """The demo cohort is seeded as accepted: invited by the coach, accepted by the teacher,
    through the same services as on the site (so the demo shows consent as it really is)."""
    if cohort.memberships.filter(user=teacher).exists():
        return
    coaching_invitations.add_member(cohort=cohort, email=teacher.email, added_by=coach)
    invitation = Invitation.objects.get(
        cohort=cohort,
        email=teacher.email,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        declined_at__isnull=True,
    )
    coaching_invitations.accept_invitation(invitation=invitation, user=teacher)


def _reflection_with_feedback(*, coach, teacher, module) -> None:
    """The coach comments on the teacher's reflection in the module's quiz."""
    answer = (
        Answer.objects.filter(
            attempt__user=teacher, attempt__module=module, question_type=REFLECTION
        )
        .order_by("attempt__submitted_at", "pk")
        .first()
    )
    if answer is None or Feedback.objects.filter(answer__attempt__user=teacher).exists():
        return
    coaching_feedback.leave_feedback(
        coach=coach, answer=answer, kind=FeedbackKind.STRENGTH, body=COACHING_DEMO_FEEDBACK
    )


def seed_coaching_demo(course: CoursePage, accounts: dict) -> None:
    coach = accounts["coach@example.com"]
    teachers = [accounts["teacher@example.com"]]
    for email, name, _done in COACHING_DEMO_TEACHERS:
        teachers.append(ensure_teacher(email, name))
    cohort = Cohort.objects.filter(name=COACHING_DEMO_COHORT, coaches=coach).first()
    if cohort is None:
        cohort = coaching.create_cohort(
            coach=coach,
            name=COACHING_DEMO_COHORT,
            program="Elementary certification",
            description="Student teachers placed in district schools this spring.",
        )
    for teacher in teachers:
        _demo_teacher_accepts(cohort=cohort, coach=coach, teacher=teacher)
    today = timezone.localdate()
    if not Assignment.objects.filter(cohort=cohort, course=course).exists():
        coaching.assign_course(
            cohort=cohort,
            course=course,
            due_on=today + datetime.timedelta(days=14),
            assigned_by=coach,
        )
    by_email = {teacher.email: teacher for teacher in teachers}
    for email, _name, done in COACHING_DEMO_TEACHERS:
        reflection = COACHING_DEMO_REFLECTION if email == LUIS else DEMO_REFLECTION
        take_course(user=by_email[email], course=course, modules=done, reflection=reflection)
    dev = by_email["dev.patel@example.com"]
    if not Assignment.objects.filter(user=dev, course=course).exists():
        coaching.assign_course(
            user=dev,
            course=course,
            due_on=today - datetime.timedelta(days=3),
            assigned_by=coach,
        )
    first_module = course.get_children().live().specific().first()
    if first_module is not None:
        _reflection_with_feedback(coach=coach, teacher=by_email[LUIS], module=first_module)
