"""quizzes/retakes.py: the course's retake policy, on the page and in the service."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import retakes, services
from quizzes.models import Attempt
from tests import factories

pytestmark = pytest.mark.django_db


class Policy:
    def __init__(self, limit=None, wait=0):
        self.quiz_attempt_limit = limit
        self.quiz_retake_wait_hours = wait


def test_no_policy_never_blocks():
    now = timezone.now()
    assert (
        retakes.retake_blocker(course=Policy(), attempts_so_far=40, last_submitted_at=now, now=now)
        == ""
    )


def test_the_attempt_limit_blocks_once_it_is_used_up():
    now = timezone.now()
    kwargs = {"course": Policy(limit=3), "last_submitted_at": now, "now": now}
    assert retakes.retake_blocker(attempts_so_far=2, **kwargs) == ""
    assert "all 3 attempts" in retakes.retake_blocker(attempts_so_far=3, **kwargs)


def test_the_wait_blocks_until_the_hours_have_passed():
    submitted = timezone.now()
    policy = Policy(wait=24)
    later = submitted + timedelta(hours=23)
    blocked = retakes.retake_blocker(
        course=policy, attempts_so_far=1, last_submitted_at=submitted, now=later
    )
    assert blocked.startswith("You can try this quiz again from")
    assert (
        retakes.retake_blocker(
            course=policy,
            attempts_so_far=1,
            last_submitted_at=submitted,
            now=submitted + timedelta(hours=24),
        )
        == ""
    )


def _set_policy(course, **fields):
    for name, value in fields.items():
        setattr(course, name, value)
    course.save_revision().publish()


def test_the_service_refuses_an_attempt_beyond_the_limit(teacher, quiz, module, course):
    _set_policy(course, quiz_attempt_limit=1)
    services.submit_attempt(
        user=teacher,
        quiz=quiz,
        module=module,
        answers=factories.wrong_answers(quiz),
        idempotency_key=uuid.uuid4(),
    )
    with pytest.raises(services.QuizValidationError) as raised:
        services.submit_attempt(
            user=teacher,
            quiz=quiz,
            module=module,
            answers=factories.right_answers(quiz),
            idempotency_key=uuid.uuid4(),
        )
    assert "You have used the 1 attempt this course allows" in " ".join(raised.value.general)
    assert Attempt.objects.filter(user=teacher, module=module).count() == 1


def test_the_module_page_says_when_the_quiz_opens_again(
    teacher_client, teacher, quiz, module, course
):
    _set_policy(course, quiz_retake_wait_hours=24)
    teacher_client.post(
        reverse("quizzes:answer_module_quiz", args=[module.pk]),
        {
            "question": list(factories.wrong_answers(quiz)),
            "submission": str(uuid.uuid4()),
            "action": "submit",
            **{f"answer-{q}": v for q, v in factories.wrong_answers(quiz).items()},
        },
    )
    text = teacher_client.get(module.url).text
    assert "You can try this quiz again from" in text
    assert 'name="submission"' not in text  # no form to submit

    Attempt.objects.filter(user=teacher).update(submitted_at=timezone.now() - timedelta(hours=25))
    text = teacher_client.get(module.url).text
    assert "You can try this quiz again from" not in text
    assert 'name="submission"' in text
