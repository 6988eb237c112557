"""Honest seat time: the module page's batches, the caps, and what the teacher is shown."""

import re
import time

import pytest
from django.urls import reverse

from certificates.models import Certificate
from modules import seat_time, services
from modules.models import ActiveTime
from tests import factories
from tests.factories import modules_of

pytestmark = pytest.mark.django_db

MINUTE = 60 * 1000


def now_ms() -> int:
    return int(time.time() * 1000)


def token_for(user, module, *, opened_ago_ms=10 * MINUTE, watch=False):
    """A page-view token as the module page hands it out, the page opened a while ago."""
    return seat_time.page_view_token(
        user=user,
        module=module,
        course=module.get_course(),
        watch_minimum=watch,
        now_ms=now_ms() - opened_ago_ms,
    )


def ping(client, module, token, *, seq=1, ms=30_000):
    return client.post(
        reverse("modules:active_time", args=[module.pk]),
        {"token": token, "seq": seq, "ms": ms},
    )


def work(teacher, module, token, *, batches, start, batch_ms=2 * MINUTE):
    """Batches of active time as the script sends them, one every `batch_ms` from `start`."""
    for seq in batches:
        seat_time.record_batch(
            user=teacher,
            module_id=module.pk,
            token=token,
            seq=seq,
            active_ms=batch_ms,
            now_ms=start + seq * batch_ms,
        )


def active_ms(user, module) -> int:
    row = ActiveTime.objects.filter(user=user, module=module).first()
    return row.active_ms if row else 0


@pytest.fixture
def enrolled(teacher, course):
    services.enroll(user=teacher, course=course)
    return modules_of(course)[0]


def test_the_module_page_hands_its_script_a_token_and_a_batch_is_counted(
    teacher_client, teacher, enrolled
):
    page = teacher_client.get(enrolled.url).text
    assert 'src="/static/js/active_time.js"' in page
    token = re.search(r'data-token="([^"]+)"', page).group(1)
    # A batch the page sent 30 seconds after it was served (the clock cap allows that much).
    assert (
        seat_time.record_batch(
            user=teacher,
            module_id=enrolled.pk,
            token=token,
            seq=1,
            active_ms=20_000,
            now_ms=now_ms() + 30_000,
        )
        == 0
    )  # the first batch inserts the row
    assert active_ms(teacher, enrolled) == 20_000


def test_a_batch_answers_204_and_the_teacher_sees_their_time(teacher_client, teacher, enrolled):
    teacher_client.get(enrolled.url)  # the page the script runs on
    token = token_for(teacher, enrolled, opened_ago_ms=10 * MINUTE)
    start = now_ms() - 10 * MINUTE
    # A batch every 30 seconds for nine and a half minutes.
    work(teacher, enrolled, token, batches=range(1, 20), start=start, batch_ms=30_000)
    assert ping(teacher_client, enrolled, token, seq=20).status_code == 204  # the last, now
    assert active_ms(teacher, enrolled) == 10 * MINUTE
    module_page = teacher_client.get(enrolled.url).text
    assert "Your active time on this module: about 10 minutes." in module_page
    course_page = teacher_client.get(enrolled.get_course().url).text
    assert "In this course: about 10 minutes." in course_page


def test_a_batch_claiming_more_than_the_clock_allows_is_capped(teacher, enrolled):
    token = token_for(teacher, enrolled, opened_ago_ms=10_000)
    seat_time.record_batch(
        user=teacher, module_id=enrolled.pk, token=token, seq=1, active_ms=2 * MINUTE
    )
    assert 0 < active_ms(teacher, enrolled) <= 11_000


def test_a_thousand_pings_a_second_add_no_more_than_the_clock(teacher, enrolled):
    token = token_for(teacher, enrolled, opened_ago_ms=MINUTE)
    start = now_ms()
    for seq in range(1, 1001):
        seat_time.record_batch(
            user=teacher, module_id=enrolled.pk, token=token, seq=seq, active_ms=MINUTE
        )
    elapsed = now_ms() - start
    # The first batch may hold the minute the page was open; the rest only the time that passed.
    assert active_ms(teacher, enrolled) <= MINUTE + elapsed + 1_000


def test_two_tabs_never_count_more_than_the_clock(teacher, enrolled):
    first = token_for(teacher, enrolled, opened_ago_ms=MINUTE)
    second = token_for(teacher, enrolled, opened_ago_ms=MINUTE)
    at = now_ms()
    seat_time.record_batch(
        user=teacher, module_id=enrolled.pk, token=first, seq=1, active_ms=MINUTE, now_ms=at
    )
    seat_time.record_batch(
        user=teacher,
        module_id=enrolled.pk,
        token=second,
        seq=1,
        active_ms=MINUTE,
        now_ms=at + 5_000,
    )
    assert active_ms(teacher, enrolled) == MINUTE + 5_000


def test_a_replayed_batch_adds_nothing(teacher_client, teacher, enrolled):
    token = token_for(teacher, enrolled)
    ping(teacher_client, enrolled, token, seq=1)
    ping(teacher_client, enrolled, token, seq=2)
    counted = active_ms(teacher, enrolled)
    assert counted >= 30_000  # the second batch: only the moment since the first
    for _ in range(3):
        assert ping(teacher_client, enrolled, token, seq=2).status_code == 204
        assert ping(teacher_client, enrolled, token, seq=1).status_code == 204
    assert active_ms(teacher, enrolled) == counted


def test_a_forged_module_id_or_token_is_ignored_without_an_error(
    teacher_client, teacher, enrolled, course
):
    other_module = modules_of(course)[1]
    token = token_for(teacher, enrolled)
    assert ping(teacher_client, other_module, token).status_code == 204
    assert ping(teacher_client, enrolled, token + "x").status_code == 204
    assert ping(teacher_client, enrolled, "").status_code == 204
    forged = teacher_client.post(
        reverse("modules:active_time", args=[enrolled.pk]),
        {"token": token, "seq": "one", "ms": "lots"},
    )
    assert forged.status_code == 204
    assert not ActiveTime.objects.exists()


def test_another_teachers_token_counts_nothing_for_anyone(client, teacher, enrolled):
    token = token_for(teacher, enrolled)
    thief = factories.teacher()
    client.force_login(thief)
    assert ping(client, enrolled, token).status_code == 204
    assert not ActiveTime.objects.exists()


def test_an_anonymous_visitor_gets_204_and_nothing_is_stored(client, teacher, enrolled):
    assert ping(client, enrolled, token_for(teacher, enrolled)).status_code == 204
    assert not ActiveTime.objects.exists()


def test_a_course_the_teacher_is_not_in_hands_out_no_token_and_takes_no_time(
    teacher_client, teacher, catalogue, enrolled
):
    other = factories.course_with_modules(catalogue, modules=1, slug="other-course")
    outside = modules_of(other)[0]
    response = teacher_client.get(outside.url)
    assert response.status_code == 302  # to the course page: enrol first
    # A token from her own course sent for the other course's module is ignored.
    assert ping(teacher_client, outside, token_for(teacher, enrolled)).status_code == 204
    assert not ActiveTime.objects.filter(module=outside).exists()


def test_a_get_or_a_post_without_the_csrf_token_counts_nothing(teacher, enrolled):
    client = factories.Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    assert client.get(reverse("modules:active_time", args=[enrolled.pk])).status_code == 405
    assert ping(client, enrolled, token_for(teacher, enrolled)).status_code == 403
    assert not ActiveTime.objects.exists()


# Outside a test transaction, as on a live site: on SQLite an INSERT wrapped in atomic() would
# add BEGIN and COMMIT to the count. Restored at setup, like the other transactional tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_ping_costs_at_most_three_queries(
    teacher_client, teacher, enrolled, django_assert_max_num_queries
):
    token = token_for(teacher, enrolled)
    with django_assert_max_num_queries(3):  # the user, the update, the first batch's insert
        ping(teacher_client, enrolled, token, seq=1)
    with django_assert_max_num_queries(3):
        ping(teacher_client, enrolled, token, seq=2)
    with django_assert_max_num_queries(3):  # a replay: the update and the insert do nothing
        ping(teacher_client, enrolled, token, seq=2)


def test_credit_waits_for_the_minimum_active_time_and_says_what_is_left(
    teacher_client, teacher, course, django_capture_on_commit_callbacks
):
    course.min_active_minutes = 30
    course.credit_type = factories.credit_type()
    course.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = factories.completed_enrollment(course, user=teacher)
    assert not Certificate.objects.filter(enrollment=enrollment).exists()
    module = modules_of(course)[0]
    teacher_client.get(module.url)
    page = teacher_client.get(course.url).text
    assert "Credit for this course asks for 30 minutes of active time: 30 minutes to go." in page

    # Twenty minutes of work in the module, in batches of two, as the clock allows.
    token = token_for(teacher, module, opened_ago_ms=40 * MINUTE, watch=True)
    start = now_ms() - 40 * MINUTE
    work(teacher, module, token, batches=range(1, 11), start=start)
    assert not Certificate.objects.filter(enrollment=enrollment).exists()
    page = teacher_client.get(course.url).text
    assert "about 20 minutes" in page
    assert "10 minutes to go" in page

    work(teacher, module, token, batches=range(11, 16), start=start)
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    page = teacher_client.get(course.url).text
    assert "You have reached the 30 minutes of active time this course asks for credit." in page


def test_without_a_minimum_credit_does_not_wait_for_time(course, teacher):
    course.credit_type = factories.credit_type()
    course.save_revision().publish()
    enrollment = factories.completed_enrollment(course, user=teacher)
    assert seat_time.credit_wait_reasons(enrollment=enrollment) == []
