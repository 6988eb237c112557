"""Everything the platform holds about one person, as a ZIP of JSON and CSV files.

Read-only: the tables are read straight from each app's models (the export is a copy of
the rows, not a page), one query per table, so the cost grows with the data and not with
the number of apps' pages. Every CSV goes through core.csv_export (formula escaping).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from coaching.models import CohortMembership, Feedback
from core import csv_export
from core.links import absolute_url
from core.sanitise import to_plain_text
from followups.models import Evidence, FollowUp, FollowUpReview
from modules.models import ActiveTime, Enrollment, ModuleProgress
from quizzes.models import Answer, Attempt
from quizzes.selectors import picked_choice_texts

README = """This is everything {site} holds about your account, as of {when} (UTC).

Each table is here twice: as JSON (for programs) and as CSV (for spreadsheets).
- profile: your name, email addresses and roles
- enrollments, module_progress: your courses and how far you got
- active_time: the minutes each module's page was open and in use (honest seat time)
- attempts, answers: every quiz you submitted, with your answers and reflections
- feedback: what your coaches wrote about your reflections, and your replies
- certificates: your certificates, each with the address where anyone can verify it
- cohorts: the coaching groups you joined
- follow_ups, evidence, follow_up_reviews: your follow-ups after a course, the files you
  attached to them or to a module's practice task (in the evidence folder) and your
  coaches' marks on them
"""


@dataclass(frozen=True)
class Table:
    name: str
    rows: list[dict]


def export_size(user) -> int:
    """Roughly how many rows the export holds (decides: now, or in the background)."""
    return (
        Answer.objects.filter(attempt__user=user).count()
        + Attempt.objects.filter(user=user).count()
        + ModuleProgress.objects.filter(user=user).count()
    )


def collect(user) -> list[Table]:
    profile = {
        "email": user.email,
        "full_name": user.full_name,
        "state": user.state,
        "district": user.district,
        "educator_id": user.educator_id,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": ", ".join(sorted(user.groups.values_list("name", flat=True))),
        "email_addresses": ", ".join(
            f"{a.email} ({'verified' if a.verified else 'not verified'})"
            for a in EmailAddress.objects.filter(user=user)
        ),
    }
    enrollments = [
        {
            "course": e.course.title,
            "source": e.source,
            "enrolled_at": e.enrolled_at,
            "completed_at": e.completed_at,
        }
        for e in Enrollment.objects.filter(user=user).select_related("course").order_by("pk")
    ]
    progress = [
        {
            "course": p.course.title,
            "module": p.module.title,
            "started_at": p.started_at,
            "last_seen_at": p.last_seen_at,
            "completed_at": p.completed_at,
        }
        for p in ModuleProgress.objects.filter(user=user)
        .select_related("course", "module")
        .order_by("pk")
    ]
    active_time = [
        {
            "course": t.course.title,
            "module": t.module.title,
            "active_seconds": t.active_ms // 1000,
            "last_counted_at": t.updated_at,
        }
        for t in ActiveTime.objects.filter(user=user)
        .select_related("course", "module")
        .order_by("pk")
    ]
    attempts = [
        {
            "attempt": a.pk,
            "quiz": a.quiz.title,
            "kind": a.kind,
            "module": a.module.title if a.module else "",
            "submitted_at": a.submitted_at,
            "score": a.score,
            "passed": a.passed,
        }
        for a in Attempt.objects.filter(user=user).select_related("quiz", "module").order_by("pk")
    ]
    answer_rows = list(
        Answer.objects.filter(attempt__user=user)
        .select_related("attempt__quiz_version")
        .order_by("attempt_id", "pk")
    )
    picked = picked_choice_texts(answer_rows)  # worded as in the version answered
    answers = [
        {
            "answer": a.pk,
            "attempt": a.attempt_id,
            "question": a.question_text,
            "question_type": a.question_type,
            "choices": ", ".join(a.choice_ids),
            "choices_picked": " | ".join(picked[a.pk]),
            "scale_value": a.scale_value,
            "text": a.text,
            "correct": a.correct,
        }
        for a in answer_rows
    ]
    feedback = [
        {
            "answer": f.answer_id,
            "coach": f.coach.full_name if f.coach else "",
            "kind": f.kind,
            "feedback": f.body,
            "written_at": f.created_at,
            "your_reply": _reply_body(f),
        }
        for f in Feedback.objects.filter(answer__attempt__user=user)
        .select_related("coach", "reply")
        .order_by("pk")
    ]
    certificates = [
        {
            "code": c.code,
            "name_as_printed": c.name_on_certificate,
            "course": c.course_title,
            "hours": c.hours,
            "credit_type": c.credit_type_name,
            "issued_at": c.issued_at,
            "status": c.status,
            "verify_url": absolute_url(reverse("certificates:verify", args=[c.code])),
        }
        for c in Certificate.objects.filter(user=user).order_by("issued_at")
    ]
    cohorts = [
        {"cohort": m.cohort.name, "joined_at": m.joined_at}
        for m in CohortMembership.objects.filter(user=user).select_related("cohort")
    ]
    follow_ups = [
        {
            "follow_up": f.pk,
            "course": f.course.title,
            "step": f.step,
            "due_on": f.due_on,
            "submitted_at": f.submitted_at,
            "prompts_and_answers": [
                {"prompt": prompt, "answer": to_plain_text(answer)}
                for prompt, answer in f.prompts_with_answers()
            ],
            # What she typed and saved but has not submitted yet, as typed.
            "draft": f.draft if f.submitted_at is None else [],
        }
        for f in FollowUp.objects.filter(user=user).select_related("course").order_by("pk")
    ]
    evidence = [
        {
            "follow_up": e.follow_up_id,
            "module": e.module.title if e.module_id else "",
            "file": evidence_path(e),
            "your_file_name": e.original_name,
            "content_type": e.content_type,
            "size": e.size,
            "uploaded_at": e.uploaded_at,
        }
        for e in evidence_of(user)
    ]
    reviews = [
        {
            "follow_up": r.follow_up_id,
            "coach": r.coach.full_name if r.coach else "",
            "rubric": r.get_rubric_display(),
            "feedback": to_plain_text(r.body),
            "reviewed_at": r.reviewed_at,
        }
        for r in FollowUpReview.objects.filter(follow_up__user=user)
        .select_related("coach")
        .order_by("pk")
    ]
    return [
        Table("profile", [profile]),
        Table("enrollments", enrollments),
        Table("module_progress", progress),
        Table("active_time", active_time),
        Table("attempts", attempts),
        Table("answers", answers),
        Table("feedback", feedback),
        Table("certificates", certificates),
        Table("cohorts", cohorts),
        Table("follow_ups", follow_ups),
        Table("evidence", evidence),
        Table("follow_up_reviews", reviews),
    ]


def evidence_of(user):
    """Her files, from follow-ups and from modules' practice tasks."""
    return Evidence.objects.filter(user=user).select_related("module").order_by("uploaded_at", "pk")


def evidence_path(evidence: Evidence) -> str:
    """Where the file sits in the ZIP: its own id first, so two files of one name differ."""
    return f"evidence/{evidence.pk}-{evidence.original_name}"


def build_zip(user, *, site_name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt", README.format(site=site_name, when=timezone.now().isoformat())
        )
        for table in collect(user):
            archive.writestr(
                f"{table.name}.json",
                json.dumps(table.rows, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            )
            archive.writestr(f"{table.name}.csv", _csv(table.rows))
        for evidence in evidence_of(user):
            with evidence.file.open("rb") as handle:
                archive.writestr(evidence_path(evidence), handle.read())
    return buffer.getvalue()


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv_export.writer(out)
        writer.writerow(list(rows[0]))
        writer.writerows([[_cell(v) for v in row.values()] for row in rows])
    return out.getvalue()


def _reply_body(feedback) -> str:
    try:
        return feedback.reply.body
    except Feedback.reply.RelatedObjectDoesNotExist:
        return ""


def _cell(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return "" if value is None else value
