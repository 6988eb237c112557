"""Feedback and replies arrive in the plain-text email exactly as typed; the HTML alternative
keeps them escaped (issue 19, item 12)."""

import datetime

import pytest
from django.core import mail
from django.utils import translation

from coaching import feedback as coaching_feedback
from coaching import services
from coaching.enums import FeedbackKind
from tests import factories

pytestmark = pytest.mark.django_db

TYPED = "Try x < y & z, then <b>tell me</b> what changed.\nSee https://example.org/?a=1&b=2"


@pytest.fixture
def answer(coach, course, teacher):
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    due = datetime.date.today() + datetime.timedelta(days=14)
    services.assign_course(cohort=cohort, course=course, due_on=due, assigned_by=coach)
    return factories.reflection(user=teacher, module=course.get_children().first().specific)


def bodies(message) -> tuple[str, str]:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return message.body, html


def test_feedback_reads_as_typed_in_the_plain_text_email(coach, teacher, answer, committed):
    with committed():
        coaching_feedback.leave_feedback(
            coach=coach, answer=answer, kind=FeedbackKind.QUESTION, body=TYPED
        )
    [message] = mail.outbox
    text, html = bodies(message)
    assert TYPED in text
    assert "&lt;" not in text and "&amp;" not in text
    assert "x &lt; y &amp; z" in html
    assert "&lt;b&gt;tell me&lt;/b&gt;" in html and "<b>" not in html
    assert '<a href="https://example.org/?a=1&amp;b=2" rel="nofollow noopener">' in html


def test_a_reply_reads_as_typed_in_the_coachs_plain_text_email(coach, teacher, answer, committed):
    feedback = coaching_feedback.leave_feedback(
        coach=coach, answer=answer, kind=FeedbackKind.QUESTION, body="What next?"
    )
    with committed():
        coaching_feedback.reply_to_feedback(author=teacher, feedback=feedback, body=TYPED)
    message = mail.outbox[-1]
    assert message.to == [coach.email]
    text, html = bodies(message)
    assert TYPED in text
    assert "&lt;" not in text and "&amp;" not in text
    assert "x &lt; y &amp; z" in html and "<b>" not in html


def test_feedback_goes_out_in_the_teachers_language(coach, answer, committed):
    # The coach writes from an English page; the teacher chose Spanish.
    teacher = answer.attempt.user
    teacher.language = "es"
    teacher.save()
    with translation.override("en"), committed():
        coaching_feedback.leave_feedback(
            coach=coach, answer=answer, kind=FeedbackKind.STRENGTH, body="Lovely."
        )
    [message] = mail.outbox
    text, html = bodies(message)
    assert message.subject == "Nueva retroalimentación sobre su reflexión"
    assert "Léala y responda" in text and "Read it and reply" not in text
    assert '<html lang="es"' in html or "Léala y responda" in html


def test_a_reply_reaches_an_english_coach_in_english_from_a_spanish_page(
    coach, teacher, answer, committed
):
    feedback = coaching_feedback.leave_feedback(
        coach=coach, answer=answer, kind=FeedbackKind.QUESTION, body="What next?"
    )
    with translation.override("es"), committed():
        coaching_feedback.reply_to_feedback(author=teacher, feedback=feedback, body="Gracias.")
    message = mail.outbox[-1]
    assert message.to == [coach.email]
    assert message.subject.endswith("replied to your feedback")
    assert "respondió" not in message.body
