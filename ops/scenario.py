"""Django-side steps of the fault and load scenarios, run in a child process by
ops.processes.django_call (every function takes and returns plain JSON values)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from certificates import services
from certificates.enums import CertificateStatus, CreditRequestStatus
from certificates.models import Certificate, CreditRequest
from core.models import OutgoingEmail
from modules.models import CoursePage, Enrollment
from pdsite import queues

BULK_DOMAIN = "bulk.example.org"
PASSWORD = "pd-load-2026"


def _course() -> CoursePage:
    return CoursePage.objects.live().order_by("pk").first()


def prepare_bulk(count: int) -> str:
    """`count` teachers who completed the starter course, their credit waiting for approval;
    returns the batch's email domain (a fresh one per call, so runs can share a database)."""
    import uuid

    domain = f"b{uuid.uuid4().hex[:8]}.{BULK_DOMAIN}"
    User = get_user_model()
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [
            User(
                email=f"teacher{n}@{domain}", full_name=f"Bulk Teacher {n}", password=password
            )
            for n in range(count)
        ]
    )
    course = _course()
    now = timezone.now()
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(user=user, course=course, completed_at=now) for user in users]
    )
    CreditRequest.objects.bulk_create([CreditRequest(enrollment=e) for e in enrollments])
    return domain


def approve_bulk(domain: str) -> int:
    """The PD administrator approves them all with one click (one transaction)."""
    admin = get_user_model().objects.get(email="admin@example.com")
    ids = list(
        CreditRequest.objects.filter(
            enrollment__user__email__endswith=domain, status=CreditRequestStatus.PENDING
        ).values_list("pk", flat=True)
    )
    return len(services.approve_credit_requests(request_ids=ids, decided_by=admin).changed)


def sent_emails() -> list[str]:
    """Message-IDs of every email the file backend wrote (one per message sent)."""
    found = []
    for path in Path(settings.EMAIL_FILE_PATH).glob("*.log"):
        found += re.findall(r"^Message-ID: (\S+)$", path.read_text(errors="replace"), re.M)
    return found


def bulk_status(domain: str) -> dict:
    from certificates.tasks import issued_email_key
    from core.outbox import message_id

    certificates = Certificate.objects.filter(user__email__endswith=domain)
    valid = certificates.filter(status=CertificateStatus.VALID)
    with_pdf = [c for c in valid.exclude(pdf="") if c.pdf.storage.exists(c.pdf.name)]
    expected_ids = {message_id(issued_email_key(pk)) for pk in valid.values_list("pk", flat=True)}
    sent = [mid for mid in sent_emails() if mid in expected_ids]
    return {
        "approved": CreditRequest.objects.filter(
            enrollment__user__email__endswith=domain, status=CreditRequestStatus.APPROVED
        ).count(),
        "certificates": valid.count(),
        "duplicate_certificates": certificates.count() - valid.count(),
        "pdfs": len(with_pdf),
        "emails": len(set(sent)),
        "duplicate_emails": len(sent) - len(set(sent)),
        "emails_owed": OutgoingEmail.objects.filter(finished_at__isnull=True).count(),
        "tasks_stuck": queues.running_count(),
        "tasks_waiting": queues.ready_stats()["depth"],
    }


LOAD_DOMAIN = "load.example.org"


def prepare_load(teachers: int) -> dict:
    """Teachers enrolled in the starter course (signed-in load users), the module pages and
    their quiz answers, the coach's matrix and certificate codes to verify."""
    import uuid

    from allauth.account.models import EmailAddress
    from django.urls import reverse

    from coaching.models import Assignment
    from modules import services as progress
    from quizzes import forms
    from quizzes.grading import quiz_questions

    User = get_user_model()
    course = _course()
    password = make_password(PASSWORD)
    emails = [f"teacher{n}@{LOAD_DOMAIN}" for n in range(teachers)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    live = list(course.get_children().live().specific())
    for email in emails:
        if email in existing:
            user = User.objects.get(email=email)
        else:
            user = User.objects.create(email=email, full_name=email[:12], password=password)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            progress.enroll(user=user, course=course)
        # Every module but the last done: all of them open (the course may be sequential),
        # and the course stays unfinished, so the load itself issues no certificates.
        for module in live[:-1]:
            progress.mark_module_complete(user=user, module=module, course=course)
    modules = []
    probe = User.objects.get(email=emails[0])
    for module in live:
        if getattr(module, "quiz", None) is None:
            continue
        if progress.module_access_blockers(user=probe, module=module, course=course):
            continue  # still locked for them (a quiz not passed before it)
        answers = {forms.QUESTION_FIELD: []}
        for question in quiz_questions(module.quiz):
            answers[forms.QUESTION_FIELD].append(question.id)
            if question.type == "multiple_choice":
                value = next(c.id for c in question.choices if not c.correct)
            elif question.type == "agreement":
                value = "3"
            else:  # enough words for the prompt's minimum, within its length limit
                sentence = "I will ask every student an open question this week and wait. "
                words = max(question.min_words, 10)
                value = (sentence * (words // 12 + 1))[: question.max_chars].strip()
            answers[forms.ANSWER_PREFIX + question.id] = value
        modules.append(
            {
                "url": module.url,
                "quiz_url": reverse("quizzes:answer_module_quiz", args=[module.pk]),
                "answers": answers,
            }
        )
    assignment = Assignment.objects.filter(cohort__isnull=False).order_by("pk").first()
    matrix = (
        reverse("coaching:matrix", args=[assignment.cohort_id, assignment.pk]) if assignment else ""
    )
    codes = list(Certificate.objects.values_list("code", flat=True)[:50])
    return {
        "teachers": emails,
        "password": PASSWORD,
        "modules": modules,
        "matrix": matrix,
        "codes": codes,
        "token_field": forms.TOKEN_FIELD,
        "run_id": uuid.uuid4().hex,
    }


def check_submissions(path: str) -> dict:
    """Every submission the load clients saw succeed (their idempotency keys, one JSON line
    each in `path`) is in the database exactly once."""
    import json

    from quizzes.models import Attempt

    seen = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    keys = {entry["key"] for entry in seen}
    stored = {}
    for chunk_start in range(0, len(keys), 500):
        chunk = list(keys)[chunk_start : chunk_start + 500]
        for key in Attempt.objects.filter(idempotency_key__in=chunk).values_list(
            "idempotency_key", flat=True
        ):
            stored[str(key)] = stored.get(str(key), 0) + 1
    return {
        "acknowledged": len(keys),
        "retried": sum(1 for entry in seen if entry["tries"] > 1),
        "missing": sum(1 for key in keys if key not in stored),
        "duplicated": sum(1 for n in stored.values() if n > 1),
    }
