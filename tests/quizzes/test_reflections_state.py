"""The teacher's /reflections/ is kept rendered (quizzes.reflections_state), yet every write
that shows on it shows on the very next view: each test loads the page first (so it is
cached), writes, and loads it again. Runs on SQLite and on PostgreSQL."""

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from accounts.closing import close_account
from coaching import feedback as coaching_feedback
from coaching.enums import FeedbackKind
from coaching.models import Cohort, Feedback
from coaching.services import assign_course
from modules import services as progress_services
from modules.models import Enrollment
from quizzes import services
from quizzes.grading import quiz_questions
from quizzes.models import Answer, Attempt, AttemptKind, Quiz
from quizzes.selectors import REFLECTIONS_PER_PAGE
from tests import factories
from tests.factories import modules_of

pytestmark = pytest.mark.django_db

IN_TWO_WEEKS = datetime.date.today() + datetime.timedelta(days=14)
TYPED = "I asked every student to write before anyone spoke."
REPLY_FORM_TOKEN = re.compile(
    r'<form method="post" action="[^"]*/reply/"[^>]*>\s*'
    r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
)


@pytest.fixture
def coach(db):
    return factories.coach(full_name="Sam Okafor", email="sam.coach@example.org")


@pytest.fixture
def answer(coach, teacher, course, module):
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    assign_course(cohort=cohort, course=course, due_on=IN_TWO_WEEKS, assigned_by=coach)
    return Answer.objects.get(attempt=submit(teacher, module), question_type="reflection")


def submit(teacher, module, text=TYPED):
    return services.submit_attempt(
        user=teacher,
        quiz=module.quiz,
        module=module,
        answers=factories.wrong_answers(module.quiz, text=text),
        idempotency_key=uuid.uuid4(),
    )


def page(client) -> str:
    response = client.get("/reflections/")
    assert response.status_code == 200
    return response.text


def leave(coach, answer, body="Which students spoke first?"):
    return coaching_feedback.leave_feedback(
        coach=coach, answer=answer, kind=FeedbackKind.QUESTION, body=body
    )


def test_a_new_attempt_shows_at_once(teacher_client, teacher, module):
    submit(teacher, module, text="My first try at writing this reflection.")
    assert "My first try" in page(teacher_client)

    submit(teacher, module, text="My second try, written a week later.")

    text = page(teacher_client)
    assert text.index("My second try") < text.index("My first try")


def test_an_answer_changed_or_removed_on_its_own_shows_at_once(teacher_client, answer):
    assert TYPED in page(teacher_client)

    answer.text = "Corrected by an administrator."
    answer.save()
    assert "Corrected by an administrator." in page(teacher_client)

    Answer.objects.get(pk=answer.pk).delete()  # loaded afresh: no attempt at hand
    assert "Corrected by an administrator." not in page(teacher_client)


def test_a_deleted_attempt_leaves_at_once(teacher_client, answer):
    assert TYPED in page(teacher_client)

    Attempt.objects.get(pk=answer.attempt_id).delete()

    assert TYPED not in page(teacher_client)


def test_feedback_left_edited_and_deleted_shows_at_once(teacher_client, coach, answer):
    assert "Which students" not in page(teacher_client)

    feedback = leave(coach, answer)
    assert "Which students spoke first?" in page(teacher_client)
    assert "from Sam Okafor" in page(teacher_client)

    coaching_feedback.edit_feedback(
        coach=coach, feedback=feedback, kind=FeedbackKind.STRENGTH, body="Good wait time."
    )
    text = page(teacher_client)
    assert "Good wait time." in text and "Which students" not in text
    assert "(edited " in text

    coaching_feedback.delete_feedback(coach=coach, feedback=feedback)
    assert "Good wait time." not in page(teacher_client)


def test_feedback_saved_outside_the_services_shows_at_once(teacher_client, coach, answer):
    leave(coach, answer)
    assert "Which students" in page(teacher_client)

    Feedback.objects.get().delete()  # as the admin would

    assert "Which students" not in page(teacher_client)


def test_a_reply_sent_from_the_cached_page_shows_at_once(teacher, coach, answer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    leave(coach, answer)
    page(client)  # fills the cache
    # Signing in again rotates the CSRF token: a form kept in the cache would be refused.
    client.logout()
    client.force_login(teacher)
    text = page(client)
    assert "Your reply" in text
    (token,) = REPLY_FORM_TOKEN.findall(text)

    feedback = Feedback.objects.get()
    response = client.post(
        reverse("coaching:reply_to_feedback", args=[feedback.pk]),
        {
            "csrfmiddlewaretoken": token,
            "body": "The same three, every time.",
            "next": "/reflections/",
        },
    )

    assert response.status_code == 302
    text = page(client)
    assert "The same three, every time." in text
    assert "Your reply" not in text  # one reply only: the form is gone


def test_the_cached_page_holds_no_csrf_token(teacher_client, teacher, coach, answer):
    leave(coach, answer)
    first = page(teacher_client)
    (token,) = REPLY_FORM_TOKEN.findall(first)
    other = Client()
    other.force_login(teacher)  # another session of the same teacher: its own token
    (other_token,) = REPLY_FORM_TOKEN.findall(page(other))
    assert other_token != token
    assert "csrf-token-of-the-request" not in first


def test_a_coachs_new_name_shows_at_once(teacher_client, coach, answer):
    leave(coach, answer)
    assert "from Sam Okafor" in page(teacher_client)

    account_services.change_name(user=coach, full_name="Samantha Okafor")

    assert "from Samantha Okafor" in page(teacher_client)


def test_a_closed_coach_account_shows_at_once(teacher_client, teacher, coach, answer):
    Cohort.objects.get().coaches.add(factories.coach())  # she may close: a co-coach stays
    leave(coach, answer)
    assert "from Sam Okafor" in page(teacher_client)

    close_account(user=coach)

    text = page(teacher_client)
    assert "Sam Okafor" not in text
    assert "from Your coach" in text and "Which students spoke first?" in text


def test_a_renamed_module_shows_at_once(teacher_client, answer, module):
    assert module.title in page(teacher_client)

    module.title = "Wait time, revisited"
    module.save_revision().publish()

    assert "Wait time, revisited" in page(teacher_client)


def test_an_edited_quiz_shows_on_attempts_older_than_quiz_versions(teacher_client, answer, module):
    # An attempt from before quiz versions were recorded shows the quiz as it is now.
    attempt = Attempt.objects.get(pk=answer.attempt_id)
    attempt.quiz_version = None
    attempt.save()
    assert "Why:" in page(teacher_client)
    quiz = Quiz.objects.get(pk=module.quiz.pk)
    questions = list(quiz.questions.raw_data)
    for question in questions:
        if question["type"] == "multiple_choice":
            question["value"]["explanation"] = "Explained anew after the edit."
    quiz.questions = questions

    quiz.save()

    assert "Explained anew after the edit." in page(teacher_client)


def test_the_page_follows_the_teachers_language_at_once(teacher_client, teacher, answer):
    assert "Latest attempt" in page(teacher_client)

    teacher.language = "es"
    teacher.save(update_fields=["language"])

    assert "Último intento" in page(teacher_client)


def test_another_page_of_the_history_is_kept_apart(teacher_client, teacher, module):
    for number in range(REFLECTIONS_PER_PAGE + 1):
        submit(teacher, module, text=f"Try number {number:02} at this reflection.")
    assert "Try number 20" in page(teacher_client)
    second = teacher_client.get("/reflections/?page=2").text
    assert "Try number 00" in second and "Try number 20" not in second


def test_a_self_assessment_taken_or_an_enrolment_removed_shows_at_once(
    teacher_client, teacher, course
):
    sa = factories.self_assessment()
    course.self_assessment = sa
    course.save(update_fields=["self_assessment"])
    progress_services.enroll(user=teacher, course=course)
    statements = [question.id for question in quiz_questions(sa)]

    def take(kind, value):
        services.submit_attempt(
            user=teacher,
            quiz=sa,
            kind=kind,
            course=course,
            answers={question_id: [value] for question_id in statements},
            idempotency_key=uuid.uuid4(),
        )

    take(AttemptKind.PRE, "2")
    for module in modules_of(course):
        progress_services.complete_module(user=teacher, module=module)
    assert "Your self-assessments" not in page(teacher_client)  # only the opening one

    take(AttemptKind.POST, "5")
    assert "Your self-assessments" in page(teacher_client)

    Enrollment.objects.filter(user=teacher, course=course).delete()
    assert "Your self-assessments" not in page(teacher_client)
