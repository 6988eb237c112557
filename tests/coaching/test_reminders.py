import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from coaching import reminders as coaching_reminders
from coaching import services
from coaching.models import ReminderLog
from modules import services as progress
from tests import factories

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2027, 3, 1)


def run(day, committed):
    with committed():
        return coaching_reminders.send_reminders(today=day)


def sent_to(kind_word=""):
    return sorted(
        (m.to[0], m.subject) for m in mail.outbox if kind_word.lower() in m.subject.lower()
    )


@pytest.fixture
def cohort(coach, teacher, course):
    group = factories.cohort(coaches=[coach], members=[teacher], name="Spring")
    return group


def test_a_teacher_hears_three_days_before_the_due_date_with_an_opt_out_link(
    coach, teacher, course, cohort, committed
):
    services.assign_course(
        cohort=cohort, course=course, due_on=MONDAY + datetime.timedelta(days=3), assigned_by=coach
    )
    run(MONDAY - datetime.timedelta(days=1), committed)  # four days ahead: nothing
    assert mail.outbox == []
    counts = run(MONDAY, committed)
    assert counts == {"due_soon": 1, "overdue": 0, "digest": 0}
    message = mail.outbox[0]
    assert message.to == [teacher.email]
    assert message.subject == f"Due soon: {course.title}"
    assert "http://testserver/account/reminders/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "/account/reminders/" in html
    # Once per assignment: the next days of the window stay quiet.
    run(MONDAY + datetime.timedelta(days=1), committed)
    assert len(mail.outbox) == 1


def test_running_twice_the_same_day_sends_nothing_twice(coach, teacher, course, cohort, committed):
    services.assign_course(cohort=cohort, course=course, due_on=MONDAY, assigned_by=coach)
    run(MONDAY + datetime.timedelta(days=1), committed)
    first = len(mail.outbox)
    run(MONDAY + datetime.timedelta(days=1), committed)
    assert first == 2  # the teacher's overdue note and the coach's digest
    assert len(mail.outbox) == first


def test_a_run_that_finds_todays_row_already_written_skips_it(
    coach, teacher, course, cohort, committed
):
    """Two runs racing: the other run inserted the row first, so this one must not send."""
    assignment = services.assign_course(
        cohort=cohort, course=course, due_on=MONDAY, assigned_by=coach
    )
    ReminderLog.objects.create(
        user=teacher, assignment=assignment, kind="overdue", sent_on=MONDAY.replace(day=2)
    )
    ReminderLog.objects.create(user=coach, kind="digest", sent_on=MONDAY.replace(day=2))
    assert run(MONDAY.replace(day=2), committed) == {"due_soon": 0, "overdue": 0, "digest": 0}
    assert mail.outbox == []


def test_the_log_refuses_a_second_row_for_the_same_reminder_and_day(coach, teacher, course, cohort):
    from django.db import IntegrityError, transaction

    assignment = services.assign_course(
        cohort=cohort, course=course, due_on=MONDAY, assigned_by=coach
    )
    ReminderLog.objects.create(user=teacher, assignment=assignment, kind="overdue", sent_on=MONDAY)
    ReminderLog.objects.create(user=coach, kind="digest", sent_on=MONDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(
            user=teacher, assignment=assignment, kind="overdue", sent_on=MONDAY
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(user=coach, kind="digest", sent_on=MONDAY)


def test_overdue_reminders_repeat_weekly_not_daily(coach, teacher, course, cohort, committed):
    services.assign_course(cohort=cohort, course=course, due_on=MONDAY, assigned_by=coach)
    for offset in range(1, 9):
        run(MONDAY + datetime.timedelta(days=offset), committed)
    overdue = [m for m in mail.outbox if m.subject.startswith("Overdue")]
    assert len(overdue) == 2  # day 1 and day 8


def test_teachers_who_completed_the_course_hear_nothing(coach, teacher, course, cohort, committed):
    services.assign_course(cohort=cohort, course=course, due_on=MONDAY, assigned_by=coach)
    for module in course.get_children().specific():
        progress.mark_module_complete(user=teacher, module=module, course=course)
    run(MONDAY + datetime.timedelta(days=2), committed)
    assert mail.outbox == []


def test_a_teacher_who_turned_reminders_off_hears_nothing(
    coach, teacher, course, cohort, committed
):
    coaching_reminders.set_reminders_enabled(user=teacher, enabled=False)
    services.assign_course(cohort=cohort, course=course, due_on=MONDAY, assigned_by=coach)
    run(MONDAY, committed)
    assert sent_to() == []


def test_the_coach_gets_a_weekly_digest_of_only_their_overdue_teachers(
    other_coach, coach, teacher, course, cohort, committed
):
    stranger = factories.teacher(full_name="Stranger Danger")
    theirs = factories.cohort(coaches=[other_coach], members=[stranger])
    services.assign_course(cohort=theirs, course=course, due_on=MONDAY, assigned_by=other_coach)
    services.assign_course(cohort=cohort, course=course, due_on=MONDAY, assigned_by=coach)
    run(MONDAY + datetime.timedelta(days=1), committed)
    digest = next(m for m in mail.outbox if m.to == [coach.email])
    assert "Weekly digest" in digest.subject
    assert teacher.full_name in digest.body
    assert "Stranger Danger" not in digest.body
    assert "/account/reminders/" in digest.body
    mail.outbox.clear()
    run(MONDAY + datetime.timedelta(days=3), committed)
    assert [m for m in mail.outbox if m.to == [coach.email]] == []
    run(MONDAY + datetime.timedelta(days=8), committed)
    assert [m.subject for m in mail.outbox if m.to == [coach.email]] == [digest.subject]


def test_the_command_takes_a_fixed_date(coach, teacher, course, cohort, capsys):
    services.assign_course(cohort=cohort, course=course, due_on=MONDAY, assigned_by=coach)
    call_command("send_reminders", "--today", "2027-03-02")
    assert "1 overdue, 1 digests" in capsys.readouterr().out
    call_command("send_reminders", "--today", "2027-03-02")
    assert "0 due soon, 0 overdue, 0 digests" in capsys.readouterr().out


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the test database on SQLite is in memory with shared-cache table locks, which fail "
    "instead of waiting; the file database the site uses waits (BEGIN IMMEDIATE, timeout 20s)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_started_at_the_same_moment_send_each_reminder_once():
    import threading

    index = factories.site_tree()
    course = factories.course_with_modules(index, modules=2, slug="race")
    coach, teacher = factories.coach(), factories.teacher()
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    services.assign_course(cohort=cohort, course=course, due_on=MONDAY, assigned_by=coach)
    mail.outbox = []
    start = threading.Barrier(2)
    results, errors = [], []

    def run_once():
        try:
            start.wait()
            results.append(
                coaching_reminders.send_reminders(today=MONDAY + datetime.timedelta(days=1))
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted([teacher.email, coach.email])
    assert ReminderLog.objects.count() == 2


def test_the_digest_includes_teachers_overdue_on_a_personal_assignment(
    coach, teacher, course, cohort, committed
):
    services.assign_course(user=teacher, course=course, due_on=MONDAY, assigned_by=coach)
    run(MONDAY + datetime.timedelta(days=1), committed)
    digest = next(m for m in mail.outbox if m.to == [coach.email])
    assert f"{teacher.full_name} (assigned in person)" in digest.body


def _take_the_coach_role_away(coach):
    services.set_coach(user=coach, is_coach=False, by=None)


def _deactivate(coach):
    coach.is_active = False
    coach.save(update_fields=["is_active"])


@pytest.mark.parametrize("end_coaching", [_take_the_coach_role_away, _deactivate])
def test_a_former_coach_gets_no_digest_though_the_cohort_still_names_them(
    coach, teacher, course, cohort, committed, end_coaching
):
    services.assign_course(cohort=cohort, course=course, due_on=MONDAY, assigned_by=coach)
    end_coaching(coach)
    counts = run(MONDAY + datetime.timedelta(days=1), committed)
    assert counts["digest"] == 0
    assert sent_to() == [(teacher.email, f"Overdue: {course.title}")]  # nothing to the coach


def test_a_digest_claimed_before_the_role_was_taken_away_is_not_sent(
    coach, teacher, course, cohort
):
    """The run writes the log row, the email goes out later from the task queue."""
    from coaching.tasks import send_reminder_email

    services.assign_course(cohort=cohort, course=course, due_on=MONDAY, assigned_by=coach)
    log = ReminderLog.objects.create(user=coach, kind="digest", sent_on=MONDAY.replace(day=2))
    _take_the_coach_role_away(coach)
    send_reminder_email.enqueue(log_id=log.pk)
    assert mail.outbox == []


def test_a_pd_admin_who_coaches_a_cohort_keeps_its_digest(teacher, course, committed):
    """PD admins may open every cohort under /coach/, so the digest shows them nothing new."""
    admin = factories.pd_admin(full_name="Pat Admin")
    group = factories.cohort(coaches=[admin], members=[teacher])
    services.assign_course(cohort=group, course=course, due_on=MONDAY, assigned_by=admin)
    run(MONDAY + datetime.timedelta(days=1), committed)
    digest = next(m for m in mail.outbox if m.to == [admin.email])
    assert teacher.full_name in digest.body
