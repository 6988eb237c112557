import datetime

import pytest
from django.core import mail
from django.utils import timezone

from followups import services
from followups.prompts import send_follow_up_prompts
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_due_follow_up_is_emailed_once_with_an_opt_out_link(course, teacher, committed):
    factories.follow_ups_after_completion(course, teacher, days_ago=14)
    with committed():
        assert send_follow_up_prompts() == 1
    with committed():
        assert send_follow_up_prompts() == 0  # the second run (or a parallel one) sends nothing
    (message,) = mail.outbox
    assert message.to == [teacher.email]
    assert message.subject == f"How did it go? A follow-up on {course.title}"
    assert "What happened with your students?" in message.body
    assert "http://testserver/account/follow-up-emails/" in message.body
    assert "/follow-up/" in message.alternatives[0][0]


def test_nothing_is_sent_before_the_due_date_or_after_submitting(course, teacher, committed):
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=13)
    with committed():
        assert send_follow_up_prompts() == 0
    with committed():
        assert send_follow_up_prompts(today=timezone.localdate() + datetime.timedelta(days=1)) == 1
    assert len(mail.outbox) == 1


def test_a_teacher_who_opted_out_gets_no_email(course, teacher, committed):
    factories.follow_ups_after_completion(course, teacher, days_ago=50)
    services.set_follow_up_emails(user=teacher, enabled=False)
    with committed():
        assert send_follow_up_prompts() == 0
    assert mail.outbox == []


def test_completions_from_before_follow_ups_existed_are_scheduled_by_the_daily_run(
    course, teacher, committed
):
    factories.completed_enrollment(course, user=teacher)  # its signal never ran here
    from followups.models import FollowUp

    assert not FollowUp.objects.exists()
    with committed():
        send_follow_up_prompts()
    assert FollowUp.objects.filter(user=teacher).count() == 2


def test_a_due_email_lost_with_its_worker_is_sent_once_by_the_repair_sweep(
    course, teacher, django_capture_on_commit_callbacks
):
    from pdsite import repair

    factories.follow_ups_after_completion(course, teacher, days_ago=14)
    with django_capture_on_commit_callbacks(execute=False):  # the queued task dies unrun
        assert send_follow_up_prompts() == 1
    assert mail.outbox == []

    later = timezone.now() + datetime.timedelta(minutes=5)
    for _ in range(2):  # the second sweep finds nothing owed
        with django_capture_on_commit_callbacks(execute=True):
            repair.sweep(now=later)
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    assert mail.outbox[0].subject == f"How did it go? A follow-up on {course.title}"
