import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaching import feedback as coaching_feedback
from coaching import invitations as coaching_invitations
from coaching import services
from coaching.models import Cohort, CohortMembership, Feedback, Invitation, ReminderPreference
from coaching.views import MATRIX_ROWS_PER_PAGE, REFLECTIONS_PER_PAGE
from modules import services as progress
from tests import factories

pytestmark = pytest.mark.django_db

DUE = datetime.date.today() + datetime.timedelta(days=14)


@pytest.fixture
def world(other_coach, coach, course, teacher):
    """Another coach's cohort and teacher first (so a leak would show), then ours."""
    stranger = factories.teacher(full_name="Stranger Danger")
    theirs = factories.cohort(coaches=[other_coach], members=[stranger], name="Their cohort")
    their_assignment = services.assign_course(
        cohort=theirs, course=course, due_on=DUE, assigned_by=other_coach
    )
    module = course.get_children().first().specific
    their_answer = factories.reflection(user=stranger, module=module, text="Stranger's secret")
    mine = factories.cohort(coaches=[coach], members=[teacher], name="My cohort")
    assignment = services.assign_course(cohort=mine, course=course, due_on=DUE, assigned_by=coach)
    answer = factories.reflection(user=teacher, module=module, text="My teacher's thoughts")
    return {
        "theirs": theirs,
        "their_assignment": their_assignment,
        "stranger": stranger,
        "their_answer": their_answer,
        "mine": mine,
        "assignment": assignment,
        "answer": answer,
    }


def test_coach_pages_are_404_for_teachers(teacher_client):
    assert teacher_client.get("/coach/").status_code == 404


def test_the_cohort_list_shows_only_the_coachs_cohorts(coach_client, world):
    response = coach_client.get("/coach/")
    assert response.status_code == 200
    assert "My cohort" in response.text
    assert "Their cohort" not in response.text


def test_every_page_of_another_coachs_cohort_is_404(coach_client, world):
    theirs, assignment = world["theirs"], world["their_assignment"]
    invitation = Invitation.objects.create(cohort=theirs, email="x@example.org")
    for url in [
        reverse("coaching:cohort_detail", args=[theirs.pk]),
        reverse("coaching:invitation_list", args=[theirs.pk]),
        reverse("coaching:import_csv", args=[theirs.pk]),
        reverse("coaching:assign_course", args=[theirs.pk]),
        reverse("coaching:matrix", args=[theirs.pk, assignment.pk]),
        reverse("coaching:matrix_csv", args=[theirs.pk, assignment.pk]),
        reverse("coaching:teacher_reflections", args=[world["stranger"].pk]),
    ]:
        assert coach_client.get(url).status_code == 404, url
    for url in [
        reverse("coaching:add_member", args=[theirs.pk]),
        reverse("coaching:remove_member", args=[theirs.pk, world["stranger"].pk]),
        reverse("coaching:resend_invitation", args=[invitation.pk]),
        reverse("coaching:withdraw_invitation", args=[invitation.pk]),
        reverse("coaching:leave_feedback", args=[world["their_answer"].pk]),
    ]:
        assert coach_client.post(url, {"email": "a@example.org", "body": "x"}).status_code == 404
    assert CohortMembership.objects.filter(cohort=theirs).count() == 1
    assert not Feedback.objects.exists()


def test_a_coach_creates_a_cohort_and_invites_teachers(coach_client, coach):
    response = coach_client.post(
        "/coach/cohorts/new/", {"name": "Spring 2027 student teachers", "program": "Elementary"}
    )
    cohort = Cohort.objects.get()
    assert response.url == reverse("coaching:cohort_detail", args=[cohort.pk])
    existing = factories.teacher(full_name="Kim Existing")
    coach_client.post(reverse("coaching:add_member", args=[cohort.pk]), {"email": existing.email})
    coach_client.post(
        reverse("coaching:add_member", args=[cohort.pk]), {"email": "brand.new@example.org"}
    )
    page = coach_client.get(reverse("coaching:cohort_detail", args=[cohort.pk])).text
    assert "Kim Existing" not in page  # not a member until she accepts
    assert "2 invitations waiting" in page


def test_adding_an_existing_teacher_shows_nothing_of_theirs_until_they_accept(
    client, coach, other_coach, teacher, course, committed
):
    """The outside test's attack: a second coach adds someone else's teacher by email."""
    module = course.get_children().first().specific
    factories.reflection(user=teacher, module=module, text="A private thought")
    certificate = factories.certificate(course, user=teacher)
    cohort = factories.cohort(coaches=[other_coach], name="Grabby cohort")
    client.force_login(other_coach)
    with committed():
        response = client.post(
            reverse("coaching:add_member", args=[cohort.pk]), {"email": teacher.email}, follow=True
        )
    assert f"An invitation was sent to {teacher.email}." in response.text
    services.assign_course(cohort=cohort, course=course, due_on=DUE, assigned_by=other_coach)
    reflections = reverse("coaching:teacher_reflections", args=[teacher.pk])
    pdf = reverse("certificates:pdf", args=[certificate.pk])
    assert client.get(reflections).status_code == 404
    assert client.get(pdf).status_code == 404
    # The teacher is asked, sees who and what, and accepts: now the coach may look.
    link = mail.outbox[-1].body.split("http://testserver", 1)[1].split()[0]
    client.force_login(teacher)
    consent = client.get(link)
    assert "What the cohort" in consent.text
    assert other_coach.full_name in consent.text
    assert "your written reflections" in consent.text
    client.post(link, {"action": "accept"})
    client.force_login(other_coach)
    assert "A private thought" in client.get(reflections).text
    assert client.get(pdf).status_code == 200


def test_a_bad_address_shows_an_error_and_keeps_the_input(coach_client, world):
    response = coach_client.post(
        reverse("coaching:add_member", args=[world["mine"].pk]), {"email": "not an email"}
    )
    assert response.status_code == 400
    assert "Enter a valid email address" in response.text
    assert 'value="not an email"' in response.text


def test_the_invitation_link_asks_for_consent_then_signs_up_with_the_address_filled_in(
    client, coach, committed
):
    cohort = factories.cohort(coaches=[coach], name="Spring 2027")
    with committed():
        coaching_invitations.add_member(cohort=cohort, email="newbie@example.org", added_by=coach)
    link = mail.outbox[0].body.split("http://testserver", 1)[1].split()[0]
    consent = client.get(link)
    assert consent.status_code == 200
    assert coach.full_name in consent.text
    assert "newbie@example.org" not in consent.text
    signup = client.get(consent.context["signup_url"])
    assert 'value="newbie@example.org"' in signup.text
    response = client.post(
        consent.context["signup_url"],
        {
            "email": "newbie@example.org",
            "full_name": "Nina Newbie",
            "password1": "kind-words-2026!",
            "password2": "kind-words-2026!",
        },
    )
    # Following the link proved the address: signed in and back on the consent page.
    assert response.status_code == 302
    assert response["Location"] == link
    assert not CohortMembership.objects.exists()
    assert "Accept and join" in client.get(link).text
    response = client.post(link, {"action": "accept"}, follow=True)
    assert "You joined Spring 2027" in response.text
    user = CohortMembership.objects.get(cohort=cohort).user
    assert user.full_name == "Nina Newbie"
    assert Invitation.objects.get().accepted_by == user


def test_signing_up_without_the_link_finds_the_invitation_on_the_dashboard(
    client, coach, committed
):
    cohort = factories.cohort(coaches=[coach], name="Fall residents")
    with committed():
        coaching_invitations.add_member(cohort=cohort, email="later@example.org", added_by=coach)
    with committed():
        client.post(
            "/accounts/signup/",
            {
                "email": "later@example.org",
                "full_name": "Lee Later",
                "password1": "kind-words-2026!",
                "password2": "kind-words-2026!",
            },
        )
    confirm = mail.outbox[-1].body.split("http://testserver", 1)[1].split()[0]
    with committed():
        client.post(confirm)
    assert not CohortMembership.objects.exists()  # confirming an address is not consent
    dashboard = client.get("/dashboard/")
    assert "Invitations from coaches" in dashboard.text
    invitation = Invitation.objects.get()
    client.post(f"/invitations/{invitation.token}/", {"action": "accept"})
    assert CohortMembership.objects.get(cohort=cohort).user.email == "later@example.org"


def test_someone_else_signed_in_learns_nothing_from_the_link(client, coach, teacher):
    cohort = factories.cohort(coaches=[coach])
    coaching_invitations.add_member(cohort=cohort, email="invitee@example.org", added_by=coach)
    invitation = Invitation.objects.get()
    client.force_login(teacher)
    response = client.get(f"/invitations/{invitation.token}/")
    assert response.status_code == 403
    assert "invitee@example.org" not in response.text
    assert "for someone else" in response.text
    client.post(f"/invitations/{invitation.token}/", {"action": "accept"})
    assert not CohortMembership.objects.exists()


def test_an_anonymous_post_to_the_link_joins_nobody(client, coach, teacher):
    cohort = factories.cohort(coaches=[coach])
    coaching_invitations.add_member(cohort=cohort, email=teacher.email, added_by=coach)
    invitation = Invitation.objects.get()
    response = client.post(f"/invitations/{invitation.token}/", {"action": "accept"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not CohortMembership.objects.exists()


def test_declining_from_the_consent_page(client, coach, teacher):
    cohort = factories.cohort(coaches=[coach], name="Not for me")
    coaching_invitations.add_member(cohort=cohort, email=teacher.email, added_by=coach)
    invitation = Invitation.objects.get()
    client.force_login(teacher)
    response = client.post(f"/invitations/{invitation.token}/", {"action": "decline"}, follow=True)
    assert "You declined the invitation to Not for me" in response.text
    assert not CohortMembership.objects.exists()
    assert client.get(f"/invitations/{invitation.token}/").status_code == 404


def test_the_old_link_stops_working_after_a_resend(client, coach, teacher):
    cohort = factories.cohort(coaches=[coach])
    coaching_invitations.add_member(cohort=cohort, email=teacher.email, added_by=coach)
    invitation = Invitation.objects.get()
    old = f"/invitations/{invitation.token}/"
    coaching_invitations.resend_invitation(invitation=invitation, by=coach)
    client.force_login(teacher)
    assert client.get(old).status_code == 404
    client.post(old, {"action": "accept"})
    assert not CohortMembership.objects.exists()


def test_a_teacher_leaves_a_cohort_from_the_dashboard(client, world, teacher):
    client.force_login(teacher)
    dashboard = client.get("/dashboard/")
    assert "My cohort" in dashboard.text
    response = client.post(reverse("coaching:leave_cohort", args=[world["mine"].pk]), follow=True)
    assert "You left My cohort" in response.text
    client.force_login(world["mine"].coaches.get())
    reflections = reverse("coaching:teacher_reflections", args=[teacher.pk])
    assert client.get(reflections).status_code == 404


def test_a_teacher_cannot_leave_a_cohort_for_someone_else(client, world, teacher):
    client.force_login(teacher)
    response = client.post(reverse("coaching:leave_cohort", args=[world["theirs"].pk]))
    assert response.status_code == 404
    assert world["theirs"].memberships.count() == 1


def test_a_withdrawn_invitation_link_says_so(client, coach):
    cohort = factories.cohort(coaches=[coach])
    coaching_invitations.add_member(cohort=cohort, email="gone@example.org", added_by=coach)
    invitation = Invitation.objects.get()
    coaching_invitations.withdraw_invitation(invitation=invitation, by=coach)
    response = client.get(reverse("coaching:accept_invitation", args=[invitation.token]))
    assert response.status_code == 404
    assert "cannot be used" in response.text


def test_resend_and_withdraw_from_the_invitation_list(coach_client, world, committed):
    cohort = world["mine"]
    coaching_invitations.add_member(
        cohort=cohort, email="wait@example.org", added_by=world["mine"].coaches.get()
    )
    invitation = Invitation.objects.get(cohort=cohort)
    with committed():
        coach_client.post(reverse("coaching:resend_invitation", args=[invitation.pk]))
    assert mail.outbox[-1].to == ["wait@example.org"]
    coach_client.post(reverse("coaching:withdraw_invitation", args=[invitation.pk]))
    page = coach_client.get(reverse("coaching:invitation_list", args=[cohort.pk])).text
    assert "Withdrawn" in page


def _upload(client, cohort, content: bytes):
    return client.post(
        reverse("coaching:import_csv", args=[cohort.pk]),
        {"file": SimpleUploadedFile("teachers.csv", content, content_type="text/csv")},
    )


def test_csv_upload_reports_rows_then_imports_only_the_good_ones(coach_client, world):
    cohort = world["mine"]
    response = _upload(
        coach_client, cohort, b"email,full name\ngood@example.org,Good One\nbroken,Bad\n"
    )
    assert "1 row is ready to import." in response.text
    assert "is not a valid email address" in response.text
    token = response.context["token"]
    # The rows come from the session, whatever the form posts.
    coach_client.post(
        reverse("coaching:import_confirm", args=[cohort.pk, token]),
        {"action": "import", "rows": "evil@example.org"},
    )
    assert list(Invitation.objects.values_list("email", flat=True)) == ["good@example.org"]
    # The same upload cannot be imported twice.
    response = coach_client.post(
        reverse("coaching:import_confirm", args=[cohort.pk, token]), {"action": "import"}
    )
    assert Invitation.objects.count() == 1


def test_csv_import_nothing_imports_nothing(coach_client, world):
    cohort = world["mine"]
    response = _upload(coach_client, cohort, b"good@example.org,Good One\n")
    coach_client.post(
        reverse("coaching:import_confirm", args=[cohort.pk, response.context["token"]]),
        {"action": "cancel"},
    )
    assert not Invitation.objects.exists()


def test_a_file_in_the_wrong_encoding_offers_no_import(coach_client, world):
    response = _upload(coach_client, world["mine"], "zoë@example.org,Zoë\n".encode("utf-16"))
    assert "not UTF-8" in response.text
    assert "Import the" not in response.text


def test_assigning_a_course_from_the_form_opens_its_matrix(coach_client, coach, catalogue):
    other = factories.course_with_modules(catalogue, modules=2, slug="second")
    cohort = factories.cohort(coaches=[coach], members=[factories.teacher()])
    response = coach_client.post(
        reverse("coaching:assign_course", args=[cohort.pk]),
        {"course": other.pk, "due_on": DUE.isoformat(), "teacher": ""},
    )
    assignment = cohort.assignments.get()
    assert response.url == reverse("coaching:matrix", args=[cohort.pk, assignment.pk])
    past = coach_client.post(
        reverse("coaching:assign_course", args=[cohort.pk]),
        {"course": other.pk, "due_on": "2020-01-01"},
    )
    assert "Choose a date from today on." in past.text


def test_the_matrix_page_and_its_csv_list_only_this_cohort(coach_client, world, teacher):
    url = reverse("coaching:matrix", args=[world["mine"].pk, world["assignment"].pk])
    page = coach_client.get(url + "?sort=-percent&show=all")
    assert page.status_code == 200
    assert teacher.full_name in page.text
    assert "Stranger Danger" not in page.text
    assert "Not started" in page.text
    export = coach_client.get(
        reverse("coaching:matrix_csv", args=[world["mine"].pk, world["assignment"].pk])
    )
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Name,Email,Module 1,Module 2,Module 3,Percent")
    assert len(lines) == 2 and teacher.email in lines[1]


@pytest.mark.parametrize("teachers,modules", [(10, 2), (300, 8)])
def test_the_matrix_page_runs_ten_queries_whatever_the_size(
    client, catalogue, coach, teachers, modules, django_assert_max_num_queries
):
    from tests.coaching.test_matrix import _matrix_world

    cohort, assignment = _matrix_world(catalogue, coach, teachers=teachers, modules=modules)
    client.force_login(coach)
    url = reverse("coaching:matrix", args=[cohort.pk, assignment.pk])
    client.get(url)  # warm the session cache, as any second page view would
    with django_assert_max_num_queries(10):
        response = client.get(url + "?sort=-activity&show=all")
    assert response.context["matrix"].shown == teachers
    shown = min(teachers, MATRIX_ROWS_PER_PAGE)
    assert response.content.count(b'class="matrix__cell"') == shown * modules


def test_a_big_cohort_comes_in_pages_that_keep_the_sort_and_filter(client, catalogue, coach):
    from tests.coaching.test_matrix import _matrix_world

    teachers = MATRIX_ROWS_PER_PAGE + 10
    cohort, assignment = _matrix_world(catalogue, coach, teachers=teachers, modules=2)
    client.force_login(coach)
    url = reverse("coaching:matrix", args=[cohort.pk, assignment.pk])
    first = client.get(url + "?sort=-percent&show=all")
    assert first.text.count('class="matrix__cell"') == MATRIX_ROWS_PER_PAGE * 2
    assert f"teachers 1 to {MATRIX_ROWS_PER_PAGE} of {teachers}" in first.text
    assert '?sort=-percent&amp;show=all&amp;page=2" rel="next"' in first.text
    second = client.get(url + "?sort=-percent&show=all&page=2")
    assert second.text.count('class="matrix__cell"') == 10 * 2
    # every teacher exactly once across the two pages, in the chosen order
    rows = first.context["matrix"].rows + second.context["matrix"].rows
    assert len({row.user.pk for row in rows}) == teachers
    percents = [row.percent for row in rows]
    assert percents == sorted(percents, reverse=True)
    # the CSV export is the whole cohort, not a page
    export = client.get(url + "export.csv?sort=-percent&show=all&page=2")
    assert len(export.content.decode("utf-8-sig").splitlines()) == teachers + 1


def test_feedback_round_trip_between_coach_and_teacher(
    coach_client, client, world, teacher, committed
):
    answer = world["answer"]
    page = coach_client.get(reverse("coaching:teacher_reflections", args=[teacher.pk])).text
    assert "My teacher&#x27;s thoughts" in page or "My teacher's thoughts" in page
    assert "Stranger" not in page
    with committed():
        coach_client.post(
            reverse("coaching:leave_feedback", args=[answer.pk]),
            {"kind": "question", "body": "What will you try next week?"},
        )
    assert mail.outbox[-1].to == [teacher.email]
    client.force_login(teacher)
    mine = client.get(reverse("reflections")).text
    assert "What will you try next week?" in mine
    feedback = Feedback.objects.get()
    response = client.post(
        reverse("coaching:reply_to_feedback", args=[feedback.pk]),
        {"body": "Wait time.", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("reflections")  # not the foreign `next`
    assert feedback.__class__.objects.get().reply.body == "Wait time."
    mine = client.get(reverse("reflections")).text
    assert "What will you try next week?" in mine
    assert "Wait time." in mine
    assert "Send reply" not in mine


def test_a_teachers_reflections_come_in_pages_and_feedback_returns_to_the_page(
    coach_client, world, teacher, course
):
    module = course.get_children().first().specific
    for number in range(REFLECTIONS_PER_PAGE + 2):
        factories.reflection(user=teacher, module=module, text=f"Reflection number {number:02}")
    url = reverse("coaching:teacher_reflections", args=[teacher.pk])
    first = coach_client.get(url)
    assert len(first.context["answers"]) == REFLECTIONS_PER_PAGE
    assert "Page 1 of 2" in first.text and 'rel="next"' in first.text
    second = coach_client.get(url + "?page=2")
    assert "Stranger" not in second.text  # still only this teacher's reflections
    older = second.context["answers"][-1]
    assert f'action="{reverse("coaching:leave_feedback", args=[older.pk])}?page=2"' in second.text
    response = coach_client.post(
        reverse("coaching:leave_feedback", args=[older.pk]) + "?page=2",
        {"kind": "strength", "body": "Clear and specific."},
    )
    assert response["Location"] == f"{url}?page=2#answer-{older.pk}"


def test_another_teacher_cannot_reply_to_my_feedback(client, world, coach):
    feedback = coaching_feedback.leave_feedback(
        coach=coach, answer=world["answer"], kind="strength", body="Nice."
    )
    client.force_login(world["stranger"])
    response = client.post(
        reverse("coaching:reply_to_feedback", args=[feedback.pk]), {"body": "Hijack"}
    )
    assert response.status_code == 404


def test_the_dashboard_lists_assignments_with_due_dates(client, world, teacher):
    client.force_login(teacher)
    page = client.get("/dashboard/").text
    assert "Assigned to you" in page
    assert world["assignment"].course.title in page
    assert '<a href="/reflections/">Feedback from your coach</a>' in page
    # The reflections page shows feedback; the old feedback page only sends people there.
    assert client.get("/feedback/")["Location"] == "/reflections/"


def test_the_dashboard_marks_an_overdue_assignment(client, teacher, coach, catalogue):
    late = factories.course_with_modules(catalogue, modules=1, slug="late")
    services.assign_course(
        user=teacher, course=late, due_on=datetime.date(2020, 1, 1), assigned_by=coach
    )
    client.force_login(teacher)
    assert "Overdue" in client.get("/dashboard/").text


def test_a_teacher_turns_reminders_off(teacher_client, teacher):
    page = teacher_client.get(reverse("coaching:reminder_settings"))
    assert "Reminder emails" in page.text
    teacher_client.post(reverse("coaching:reminder_settings"), {})
    assert ReminderPreference.objects.get(user=teacher).reminders_enabled is False
    teacher_client.post(reverse("coaching:reminder_settings"), {"reminders_enabled": "on"})
    assert ReminderPreference.objects.get(user=teacher).reminders_enabled is True


def test_the_account_pages_link_to_reminder_settings(teacher_client):
    assert reverse("coaching:reminder_settings") in teacher_client.get("/accounts/email/").text


def test_a_completed_module_shows_in_the_matrix(coach_client, world, teacher, course):
    progress.mark_module_complete(
        user=teacher, module=course.get_children().first().specific, course=course
    )
    url = reverse("coaching:matrix", args=[world["mine"].pk, world["assignment"].pk])
    assert "33%" in coach_client.get(url).text


def test_an_upload_over_5_mb_is_reported_not_imported(coach_client, world):
    big = b"someone@example.org,Some One\n" * (5 * 1024 * 1024 // 29 + 10)
    response = _upload(coach_client, world["mine"], big)
    assert "larger than 5 MB" in response.text
    assert "Import the" not in response.text


def test_the_import_report_sums_up_and_offers_every_problem_as_a_csv(coach_client, world):
    cohort = world["mine"]
    rows = "".join(f"bad-{n},=HYPERLINK(x{n})\n" for n in range(25)) + "ok@example.org,Ok\n"
    upload = SimpleUploadedFile("teachers.csv", rows.encode(), content_type="text/csv")
    report = coach_client.post(reverse("coaching:import_csv", args=[cohort.pk]), {"file": upload})
    assert "1 row is ready to import." in report.text
    assert "25 rows have a problem." in report.text
    assert "The first 20 of 25 are listed here." in report.text
    assert report.text.count('class="row--problem"') == 20
    problems = coach_client.get(
        reverse("coaching:import_problems_csv", args=[cohort.pk, report.context["token"]])
    )
    assert problems["Content-Type"] == "text/csv; charset=utf-8"
    lines = problems.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 26
    assert lines[1].startswith("1,bad-0,'=HYPERLINK(x0),")
