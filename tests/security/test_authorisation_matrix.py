"""The authorisation matrix: every URL that shows or changes something a person owns, tried
by every kind of viewer. Only those in the `allowed` column get in; everyone else gets a
404/403 (or the sign-in page) that contains none of the owner's data, and their POSTs change
nothing. A new object-owning URL joins RESOURCES the day it is born.

The owner is Tess, a teacher who accepted Ana's invitation into "Cohort A". Around her:
- "pending": Pat invited Tess into "Cohort P", Tess has not answered (no consent yet);
- "other_coach": Bo coaches "Cohort B" with another teacher;
- "former_coach": Fay is still listed on Cohort A but no longer holds the Coaches role;
- "left_teacher": Lee accepted into Cohort A, then left it;
- "other_teacher": a teacher in no cohort.
"""

import datetime
import io
import time
import zipfile
from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.internal.auth import WebAuthn
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from accounts import services as account_services
from accounts.models import DataExport
from coaching import feedback as coaching_feedback
from coaching import invitations as coaching_invitations
from coaching import services as coaching
from coaching.models import Cohort, CohortMembership, Feedback, FeedbackReply, Invitation
from followups import services as followups
from followups.models import Evidence, FollowUp
from modules import seat_time
from modules.models import ActiveTime
from tests import factories
from tests.security_key import SecurityKey

pytestmark = pytest.mark.django_db

SECRET = "Tess's private reflection about her fourth period"
DUE = datetime.date.today() + datetime.timedelta(days=14)
VIEWERS = [
    "anonymous",
    "owner",
    "other_teacher",
    "left_teacher",
    "pending_coach",
    "other_coach",
    "former_coach",
    "coach",
    "admin",
]


@pytest.fixture
def world(course):
    people = {
        "owner": factories.teacher(full_name="Tess Owner", email="tess@example.org"),
        "other_teacher": factories.teacher(full_name="Otto Other"),
        "left_teacher": factories.teacher(full_name="Lee Left"),
        "coach": factories.coach(full_name="Ana Coach"),
        "pending_coach": factories.coach(full_name="Pat Pending"),
        "other_coach": factories.coach(full_name="Bo Other"),
        "former_coach": factories.coach(full_name="Fay Former"),
        "admin": factories.pd_admin(full_name="Addie Admin"),
    }
    tess, ana = people["owner"], people["coach"]
    cohort = coaching.create_cohort(coach=ana, name="Cohort A")
    cohort.coaches.add(people["former_coach"])
    assignment = coaching.assign_course(cohort=cohort, course=course, due_on=DUE, assigned_by=ana)
    factories.invited_and_accepted(cohort=cohort, coach=ana, teacher=tess)
    factories.invited_and_accepted(cohort=cohort, coach=ana, teacher=people["left_teacher"])
    coaching.leave_cohort(cohort=cohort, user=people["left_teacher"])
    coaching.set_coach(user=people["former_coach"], is_coach=False, by=people["admin"])

    pending = coaching.create_cohort(coach=people["pending_coach"], name="Cohort P")
    coaching.assign_course(
        cohort=pending, course=course, due_on=DUE, assigned_by=people["pending_coach"]
    )
    coaching_invitations.add_member(
        cohort=pending, email=tess.email, added_by=people["pending_coach"]
    )
    pending_invitation = Invitation.objects.get(cohort=pending)

    other = coaching.create_cohort(coach=people["other_coach"], name="Cohort B")
    factories.invited_and_accepted(
        cohort=other, coach=people["other_coach"], teacher=factories.teacher()
    )

    module = course.get_children().first().specific
    answer = factories.reflection(user=tess, module=module, text=SECRET)
    feedback = coaching_feedback.leave_feedback(
        coach=ana, answer=answer, kind="strength", body="Lovely noticing."
    )
    certificate = factories.certificate(course, user=tess)
    data_export = account_services.finish_export(job=DataExport.objects.create(user=tess))
    follow_up = followups.schedule_follow_ups(enrollment=certificate.enrollment)[0]
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=datetime.date.today())
    follow_up.refresh_from_db()
    followups.save_draft(user=tess, follow_up=follow_up, answers=[SECRET])
    evidence = followups.add_evidence(
        user=tess,
        follow_up=follow_up,
        upload=SimpleUploadedFile("fourth-period.png", factories.png_bytes(), "image/png"),
    )
    unused_challenge = {"publicKey": {"challenge": "AAAAAAAAAAAAAAAAAAAAAA"}}
    security_key = WebAuthn.add(tess, "Tess's key", SecurityKey().register(unused_challenge))
    factories.ask_for_evidence(module)
    module_evidence = followups.add_module_evidence(
        user=tess,
        module=module,
        upload=SimpleUploadedFile("wait-time.png", factories.png_bytes(), "image/png"),
    )
    return {
        "security_key": security_key.instance,
        "module_evidence": module_evidence,
        "data_export": data_export,
        "people": people,
        "cohort": cohort,
        "assignment": assignment,
        "pending_invitation": pending_invitation,
        "answer": answer,
        "feedback": feedback,
        "certificate": certificate,
        "follow_up": follow_up,
        "evidence": evidence,
        # Her module page's seat-time token (modules.seat_time), the page opened a minute ago.
        "active_time_token": seat_time.page_view_token(
            user=tess, module=module, course=course, now_ms=int(time.time() * 1000) - 60_000
        ),
        "module": module,
    }


@dataclass
class Resource:
    name: str
    url: object  # world -> str
    allowed: set
    method: str = "get"
    data: object = None  # a dict, or world -> dict
    changed: object = None  # world -> bool: did a refused POST change anything?
    # A beacon endpoint answers everyone alike (204): refusal shows only in `changed`.
    silent: bool = False
    # allauth asks for the password again first (security keys): every viewer gives theirs,
    # so what is tested is the object check behind that step.
    confirms_password: bool = False


COACHES_OF_A = {"coach", "admin"}
RESOURCES = [
    Resource(
        "her active time on a module (seat-time batch with her page's token)",
        lambda w: reverse("modules:active_time", args=[w["module"].pk]),
        {"owner"},
        method="post",
        data=None,
        silent=True,
        changed=lambda w: ActiveTime.objects.exists(),
    ),
    Resource(
        "rename her security key (form)",
        lambda w: reverse("mfa_edit_webauthn", args=[w["security_key"].pk]),
        {"owner"},
        confirms_password=True,
    ),
    Resource(
        "rename her security key",
        lambda w: reverse("mfa_edit_webauthn", args=[w["security_key"].pk]),
        {"owner"},
        method="post",
        data={"name": "Renamed by someone"},
        changed=lambda w: (
            Authenticator.objects.get(pk=w["security_key"].pk).data["name"] == "Renamed by someone"
        ),
        confirms_password=True,
    ),
    Resource(
        "remove her security key",
        lambda w: reverse("mfa_remove_webauthn", args=[w["security_key"].pk]),
        {"owner"},
        method="post",
        changed=lambda w: not Authenticator.objects.filter(pk=w["security_key"].pk).exists(),
        confirms_password=True,
    ),
    Resource(
        "the account audit log (her export is in it)",
        lambda w: reverse("accounts_audit_log"),
        {"admin"},
    ),
    Resource(
        "her data export (the emailed link)",
        lambda w: reverse("accounts:export_download", args=[w["data_export"].pk]),
        {"owner"},
    ),
    Resource(
        "certificate pdf",
        lambda w: reverse("certificates:pdf", args=[w["certificate"].pk]),
        {"owner"} | COACHES_OF_A,
    ),
    Resource(
        "her follow-up (answering it)",
        lambda w: reverse("followups:answer", args=[w["follow_up"].pk]),
        {"owner"},
    ),
    Resource(
        "submit her follow-up",
        lambda w: reverse("followups:answer", args=[w["follow_up"].pk]),
        {"owner"},
        method="post",
        data={"answer-0": "Sneaky", "answer-1": "Sneaky", "answer-2": "Sneaky", "action": "submit"},
        changed=lambda w: FollowUp.objects.filter(submitted_at__isnull=False).exists(),
    ),
    Resource(
        "her evidence file",
        lambda w: reverse("followups:evidence_file", args=[w["evidence"].pk]),
        {"owner"} | COACHES_OF_A,
    ),
    Resource(
        "remove her evidence file",
        lambda w: reverse("followups:remove_evidence", args=[w["evidence"].pk]),
        {"owner"},
        method="post",
        changed=lambda w: not Evidence.objects.filter(follow_up__isnull=False).exists(),
    ),
    Resource(
        "her evidence on a module's practice task",
        lambda w: reverse("followups:evidence_file", args=[w["module_evidence"].pk]),
        {"owner"} | COACHES_OF_A,
    ),
    Resource(
        "remove her evidence on a module",
        lambda w: reverse("followups:remove_evidence", args=[w["module_evidence"].pk]),
        {"owner"},
        method="post",
        changed=lambda w: not Evidence.objects.filter(module__isnull=False).exists(),
    ),
    Resource(
        "add evidence to a module (only an enrolled teacher, to her own work)",
        lambda w: reverse("followups:add_module_evidence", args=[w["module"].pk]),
        # Lee is enrolled too (the cohort's assignment): she adds to her own work, not Tess's.
        {"owner", "left_teacher"},
        method="post",
        data=lambda w: {"file": SimpleUploadedFile("x.png", factories.png_bytes(), "image/png")},
        changed=lambda w: Evidence.objects.filter(module__isnull=False).count() > 1,
    ),
    Resource(
        "certificate credential (Open Badges JSON)",
        lambda w: reverse("certificates:credential", args=[w["certificate"].pk]),
        {"owner"} | COACHES_OF_A,
    ),
    Resource(
        "certificate badge (PNG with the credential baked in)",
        lambda w: reverse("certificates:badge", args=[w["certificate"].pk]),
        {"owner"} | COACHES_OF_A,
    ),
    Resource(
        "coach's view of her reflections",
        lambda w: reverse("coaching:teacher_reflections", args=[w["people"]["owner"].pk]),
        COACHES_OF_A,
    ),
    Resource(
        "cohort page",
        lambda w: reverse("coaching:cohort_detail", args=[w["cohort"].pk]),
        COACHES_OF_A,
    ),
    Resource(
        "rename the cohort (form)",
        lambda w: reverse("coaching:cohort_edit", args=[w["cohort"].pk]),
        COACHES_OF_A,
    ),
    Resource(
        "rename the cohort",
        lambda w: reverse("coaching:cohort_edit", args=[w["cohort"].pk]),
        COACHES_OF_A,
        method="post",
        data={"name": "Renamed by someone", "program": "", "description": ""},
        changed=lambda w: Cohort.objects.filter(name="Renamed by someone").exists(),
    ),
    Resource(
        "archive the cohort",
        lambda w: reverse("coaching:cohort_archive", args=[w["cohort"].pk]),
        COACHES_OF_A,
        method="post",
        changed=lambda w: Cohort.objects.get(pk=w["cohort"].pk).archived_at is not None,
    ),
    Resource(
        # The cohort is active, so an allowed restore has nothing to change: status only.
        "restore the cohort",
        lambda w: reverse("coaching:cohort_restore", args=[w["cohort"].pk]),
        COACHES_OF_A,
        method="post",
    ),
    Resource(
        "delete the cohort (confirmation page)",
        lambda w: reverse("coaching:cohort_delete", args=[w["cohort"].pk]),
        COACHES_OF_A,
    ),
    Resource(
        "delete the cohort",
        lambda w: reverse("coaching:cohort_delete", args=[w["cohort"].pk]),
        COACHES_OF_A,
        method="post",
        data={"confirm_name": "Cohort A"},
        changed=lambda w: not Cohort.objects.filter(pk=w["cohort"].pk).exists(),
    ),
    Resource(
        "edit the feedback on her reflection (form)",
        lambda w: reverse("coaching:edit_feedback", args=[w["feedback"].pk]),
        {"coach"},  # only its author; a PD admin did not write it
    ),
    Resource(
        "edit the feedback on her reflection",
        lambda w: reverse("coaching:edit_feedback", args=[w["feedback"].pk]),
        {"coach"},
        method="post",
        data={"kind": "question", "body": "Rewritten by someone"},
        changed=lambda w: Feedback.objects.filter(body="Rewritten by someone").exists(),
    ),
    Resource(
        "delete the feedback on her reflection",
        lambda w: reverse("coaching:delete_feedback", args=[w["feedback"].pk]),
        {"coach"},
        method="post",
        changed=lambda w: not Feedback.objects.filter(pk=w["feedback"].pk).exists(),
    ),
    Resource(
        "cohort invitations",
        lambda w: reverse("coaching:invitation_list", args=[w["cohort"].pk]),
        COACHES_OF_A,
    ),
    Resource(
        "progress matrix",
        lambda w: reverse("coaching:matrix", args=[w["cohort"].pk, w["assignment"].pk]),
        COACHES_OF_A,
    ),
    Resource(
        "progress matrix csv",
        lambda w: reverse("coaching:matrix_csv", args=[w["cohort"].pk, w["assignment"].pk]),
        COACHES_OF_A,
    ),
    Resource(
        "csv import",
        lambda w: reverse("coaching:import_csv", args=[w["cohort"].pk]),
        COACHES_OF_A,
    ),
    Resource(
        "assign a course",
        lambda w: reverse("coaching:assign_course", args=[w["cohort"].pk]),
        COACHES_OF_A,
    ),
    Resource(
        "leave feedback on her reflection",
        lambda w: reverse("coaching:leave_feedback", args=[w["answer"].pk]),
        COACHES_OF_A,
        method="post",
        data={"kind": "question", "body": "Sneaky comment"},
        changed=lambda w: Feedback.objects.filter(body="Sneaky comment").exists(),
    ),
    Resource(
        "remove her from the cohort",
        lambda w: reverse("coaching:remove_member", args=[w["cohort"].pk, w["people"]["owner"].pk]),
        COACHES_OF_A,
        method="post",
        changed=lambda w: (
            not CohortMembership.objects.filter(
                cohort=w["cohort"], user=w["people"]["owner"]
            ).exists()
        ),
    ),
    Resource(
        "add someone to the cohort",
        lambda w: reverse("coaching:add_member", args=[w["cohort"].pk]),
        COACHES_OF_A,
        method="post",
        data={"email": "intruder@example.org"},
        changed=lambda w: Invitation.objects.filter(email="intruder@example.org").exists(),
    ),
    Resource(
        "reply to feedback on her reflection",
        lambda w: reverse("coaching:reply_to_feedback", args=[w["feedback"].pk]),
        {"owner"},
        method="post",
        data={"body": "A reply in her name"},
        changed=lambda w: FeedbackReply.objects.exists(),
    ),
    Resource(
        "take her out of her cohort (leave)",
        lambda w: reverse("coaching:leave_cohort", args=[w["cohort"].pk]),
        {"owner"},
        method="post",
        changed=lambda w: (
            not CohortMembership.objects.filter(
                cohort=w["cohort"], user=w["people"]["owner"]
            ).exists()
        ),
    ),
    Resource(
        "accept her pending invitation",
        lambda w: reverse("coaching:accept_invitation", args=[w["pending_invitation"].token]),
        {"owner"},
        method="post",
        data={"action": "accept"},
        changed=lambda w: CohortMembership.objects.filter(
            cohort=w["pending_invitation"].cohort
        ).exists(),
    ),
    Resource(
        "withdraw her pending invitation",
        lambda w: reverse("coaching:withdraw_invitation", args=[w["pending_invitation"].pk]),
        {"pending_coach", "admin"},
        method="post",
        changed=lambda w: Invitation.objects.filter(withdrawn_at__isnull=False).exists(),
    ),
    Resource(
        "resend her pending invitation",
        lambda w: reverse("coaching:resend_invitation", args=[w["pending_invitation"].pk]),
        {"pending_coach", "admin"},
        method="post",
        changed=lambda w: (
            Invitation.objects.get(pk=w["pending_invitation"].pk).token
            != w["pending_invitation"].token
        ),
    ),
]


def client_for(world, viewer) -> factories.Client:
    client = factories.Client()
    if viewer != "anonymous":
        client.force_login(world["people"][viewer])
    return client


REFUSED = {302, 403, 404}
SIGN_IN_DOORS = ("/accounts/login/", "/admin/login/")


def _problem(world, resource, viewer) -> str | None:
    """What went wrong for this viewer on this resource, or None."""
    client = client_for(world, viewer)
    if resource.confirms_password and viewer != "anonymous":
        client.post("/accounts/reauthenticate/", {"password": factories.PASSWORD})
    url = resource.url(world)
    # A fresh dict (and upload) per viewer when the resource builds it from the world.
    data = (resource.data(world) if callable(resource.data) else resource.data) or {}
    if resource.silent:
        data = {"token": world["active_time_token"], "seq": 1, "ms": 30_000}
    response = getattr(client, resource.method)(url, data)
    if resource.silent:
        if response.status_code != 204:
            return f"{viewer} got {response.status_code}, not 204"
        did = resource.changed(world)
        if did != (viewer in resource.allowed):
            return f"{viewer}'s batch {'was' if did else 'was not'} counted"
        return None
    if viewer in resource.allowed:
        if response.status_code not in ({200} if resource.method == "get" else {200, 302}):
            return f"allowed {viewer} got {response.status_code}"
        if resource.changed and not resource.changed(world):
            return f"allowed {viewer}'s POST did nothing"
        return None
    if response.status_code not in REFUSED:
        return f"LEAK: {viewer} got {response.status_code}"
    # Wagtail admin pages refuse through Wagtail's login URL, which is ours
    # (pdsite.views.admin_login): allauth's sign-in for the anonymous, a 403 for the rest.
    if response.status_code == 302 and not response["Location"].startswith(SIGN_IN_DOORS):
        return f"{viewer} was redirected to {response['Location']}"
    body = response.content.decode("utf-8", "replace")
    if SECRET in body or "tess@example.org" in body:
        return f"LEAK: {viewer} saw Tess's data"
    if resource.changed and resource.changed(world):
        return f"LEAK: {viewer}'s refused POST changed something"
    return None


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_only_the_allowed_get_in(world, resource):
    problems = []
    for viewer in VIEWERS:
        # Each viewer meets the same world: whatever an allowed POST did is rolled back.
        with transaction.atomic():
            problem = _problem(world, resource, viewer)
            transaction.set_rollback(True)
        if problem:
            problems.append(problem)
    assert problems == []


def test_nobody_else_sees_her_reflection_on_their_own_pages(world):
    """Pages that show the viewer's own data never show Tess's."""
    seen = []
    for viewer in VIEWERS:
        client = client_for(world, viewer)
        for url in ["/dashboard/", "/reflections/", "/transcript/", "/coach/"]:
            if SECRET in client.get(url).content.decode():
                seen.append((viewer, url))
    assert seen == [("owner", "/reflections/")]


def test_the_invitation_page_shows_nothing_about_her_to_others(world):
    url = reverse("coaching:accept_invitation", args=[world["pending_invitation"].token])
    for viewer in VIEWERS:
        response = client_for(world, viewer).get(url)
        if viewer == "owner":
            assert "Accept and join" in response.text
        elif viewer == "anonymous":  # the email link's holder: the consent text, no address
            assert "Sign in" in response.text
            assert "tess@example.org" not in response.text
        else:
            assert response.status_code == 403, viewer
            assert "tess@example.org" not in response.text, viewer


def test_the_coach_of_a_teacher_who_left_no_longer_sees_her(world):
    lee = world["people"]["left_teacher"]
    client = client_for(world, "coach")
    url = reverse("coaching:teacher_reflections", args=[lee.pk])
    assert client.get(url).status_code == 404
    matrix = reverse("coaching:matrix", args=[world["cohort"].pk, world["assignment"].pk])
    assert "Lee Left" not in client.get(matrix).text


def test_everyone_exports_only_their_own_data(world):
    """/account/export/ and /account/delete/ act on the viewer's own account: Tess's
    reflection is in her export and in nobody else's."""
    for viewer in VIEWERS[1:]:
        response = client_for(world, viewer).post(reverse("accounts:export"))
        assert response["Content-Type"] == "application/zip", viewer
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        # The evidence folder holds her files as uploaded (binary): read everything as text.
        everything = "".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )
        assert (SECRET in everything) == (viewer == "owner"), viewer
    assert client_for(world, "anonymous").post(reverse("accounts:export")).status_code == 302
    assert client_for(world, "anonymous").get(reverse("accounts:close")).status_code == 302


def test_everyone_renames_only_themselves(world):
    """/account/name/ acts on the viewer's own account: no field names another person, and a
    hidden one is ignored. Nobody but Tess can change the name on her next certificate."""
    owner = world["people"]["owner"]
    for viewer in VIEWERS[1:]:
        client = client_for(world, viewer)
        response = client.post(
            reverse("accounts:name"),
            {"full_name": f"Renamed by {viewer}", "user": owner.pk, "pk": owner.pk},
        )
        assert response.status_code == 302, viewer
        person = get_user_model().objects.get(pk=world["people"][viewer].pk)
        assert person.full_name == f"Renamed by {viewer}", viewer
        # The owner renamed herself first; nobody after her changes it.
        owner.refresh_from_db()
        assert owner.full_name == "Renamed by owner", viewer
    anonymous = client_for(world, "anonymous").post(reverse("accounts:name"), {"full_name": "X"})
    assert anonymous["Location"].startswith("/accounts/login/")
    assert not get_user_model().objects.filter(full_name="X").exists()
