"""Every write about follow-ups and their evidence goes through these functions (views,
the daily prompt run, the demo and tests call them; nobody saves the models directly)."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates import services as credit_services
from core.sanitise import clean_text, normalise
from modules.models import Enrollment

from .enums import EvidenceMode
from .evidence_files import MAX_BYTES, EvidenceRejected, check_evidence
from .models import Evidence, FollowUp, FollowUpEmailPreference

logger = logging.getLogger(__name__)

MAX_ANSWER_CHARS = 5000
MIN_ANSWER_CHARS = 2
MAX_EVIDENCE_FILES = 5


class FollowUpError(Exception):
    """A rule stopped the action; the message is safe to show the teacher."""

    def __init__(self, message: str, *, errors: dict[int, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


def course_follow_up_plan(course) -> list[dict]:
    """The course's follow-ups in the order they fall due: step 1 is the earliest."""
    plan = []
    for block in course.follow_ups:
        value = block.value
        plan.append(
            {
                "days_after": int(value["days_after"]),
                "prompts": [str(p).strip() for p in value["prompts"] if str(p).strip()],
                "evidence_mode": value.get("evidence") or EvidenceMode.OPTIONAL,
            }
        )
    plan = [item for item in plan if item["prompts"]]
    return sorted(plan, key=lambda item: item["days_after"])


def schedule_follow_ups(*, enrollment: Enrollment) -> list[FollowUp]:
    """Create the follow-ups of a completed enrolment (idempotent: the unique step per
    enrolment makes a second run, or two at once, create nothing more)."""
    if enrollment.completed_at is None:
        raise FollowUpError(_("Follow-ups start once the course is complete."))
    completed_on = timezone.localdate(enrollment.completed_at)
    for step, item in enumerate(course_follow_up_plan(enrollment.course.specific), start=1):
        try:
            with transaction.atomic():
                FollowUp.objects.get_or_create(
                    enrollment=enrollment,
                    step=step,
                    defaults={
                        "user_id": enrollment.user_id,
                        "course_id": enrollment.course_id,
                        "days_after": item["days_after"],
                        "due_on": completed_on + timedelta(days=item["days_after"]),
                        "prompts": item["prompts"],
                        "evidence_mode": item["evidence_mode"],
                    },
                )
        except IntegrityError:  # a parallel run created it first
            pass
    return list(FollowUp.objects.filter(enrollment=enrollment).order_by("step"))


def on_course_completed(sender, enrollment, **kwargs) -> None:
    """Receiver for modules.services.course_completed. A failure must not break the
    teacher's completion; the daily run (send_follow_ups) schedules what was missed."""
    try:
        schedule_follow_ups(enrollment=enrollment)
    except Exception:  # noqa: BLE001 - see docstring
        logger.exception("Could not schedule follow-ups for enrollment %s", enrollment.pk)


def schedule_missing_follow_ups() -> int:
    """Schedule follow-ups for completions that have none yet (courses completed before
    follow-ups existed, or a receiver that failed). Returns how many enrolments it looked at."""
    enrollments = (
        Enrollment.objects.filter(completed_at__isnull=False, follow_ups__isnull=True)
        .select_related("course")
        .distinct()
    )
    count = 0
    for enrollment in enrollments:
        if course_follow_up_plan(enrollment.course.specific):
            schedule_follow_ups(enrollment=enrollment)
            count += 1
    return count


def answer_blockers(*, follow_up: FollowUp, today=None) -> list[str]:
    """Why this follow-up cannot be answered now (empty when it can). The page and the
    services ask this one function."""
    today = today or timezone.localdate()
    if follow_up.enrollment.completed_at is None:
        return [_("This follow-up belongs to a course you have not completed.")]
    if follow_up.submitted_at is not None:
        return [_("You have already submitted this follow-up.")]
    if follow_up.due_on > today:
        return [
            _("This follow-up opens on %(date)s.")
            % {"date": follow_up.due_on.strftime("%-d %B %Y")}
        ]
    return []


def _typed(answers) -> list[str]:
    return [normalise(str(answer or ""))[: MAX_ANSWER_CHARS * 2] for answer in answers]


def save_draft(*, user, follow_up: FollowUp, answers: list[str]) -> FollowUp:
    """Keep what the teacher typed so far, as typed, server-side."""
    if follow_up.user_id != user.pk:
        raise FollowUpError(_("This follow-up is not yours."))
    blockers = answer_blockers(follow_up=follow_up)
    if blockers:
        raise FollowUpError(" ".join(blockers))
    follow_up.draft = _typed(answers)[: len(follow_up.prompts)]
    follow_up.draft_saved_at = timezone.now()
    FollowUp.objects.filter(pk=follow_up.pk, submitted_at__isnull=True).update(
        draft=follow_up.draft, draft_saved_at=follow_up.draft_saved_at
    )
    return follow_up


@transaction.atomic
def submit_follow_up(*, user, follow_up: FollowUp, answers: list[str]) -> FollowUp:
    """Submit the answers (sanitised). Two submissions at once: the row lock makes the
    second wait, then find the first and refuse, so the first answers stand."""
    follow_up = (
        FollowUp.objects.select_for_update().select_related("enrollment").get(pk=follow_up.pk)
    )
    if follow_up.user_id != user.pk:
        raise FollowUpError(_("This follow-up is not yours."))
    blockers = answer_blockers(follow_up=follow_up)
    if blockers:
        raise FollowUpError(" ".join(blockers))
    typed = _typed(answers)
    typed += [""] * (len(follow_up.prompts) - len(typed))
    errors = {}
    for index, text in enumerate(typed[: len(follow_up.prompts)]):
        if len(text) < MIN_ANSWER_CHARS:
            errors[index] = _("Write a few words here.")
        elif len(text) > MAX_ANSWER_CHARS:
            errors[index] = _("Please keep this to %(max)d characters (it has %(count)d).") % {
                "max": MAX_ANSWER_CHARS,
                "count": len(text),
            }
    if follow_up.evidence_mode == EvidenceMode.REQUIRED and not follow_up.evidence.exists():
        errors[-1] = _("This follow-up asks for a file: add one before you submit.")
    if errors:
        raise FollowUpError(_("Please fix the problems marked below."), errors=errors)
    follow_up.answers = [clean_text(text) for text in typed[: len(follow_up.prompts)]]
    follow_up.submitted_at = timezone.now()
    follow_up.draft = []
    follow_up.save(update_fields=["answers", "submitted_at", "draft"])
    if follow_up.step == 1 and follow_up.course.credit_requires_follow_up:
        enrollment = follow_up.enrollment
        # The certificate was waiting for this (certificates asks followups through a hook).
        transaction.on_commit(lambda: _request_credit_after_follow_up(enrollment))
    return follow_up


def _request_credit_after_follow_up(enrollment) -> None:
    try:
        credit_services.request_credit(enrollment=enrollment)
    except Exception:  # noqa: BLE001 - the answers are saved; credit can be issued later
        logger.exception("Could not request credit for enrollment %s", enrollment.pk)


def _display_name(name: str, extension: str) -> str:
    base = os.path.splitext(os.path.basename(name or ""))[0]
    base = "".join(ch for ch in base if ch.isalnum() or ch in " -_.()")[:80].strip(" .")
    return f"{base or 'evidence'}.{extension}"


def add_evidence(*, user, follow_up: FollowUp, upload) -> Evidence:
    """Attach a file to the teacher's follow-up (checked and stored by _store_evidence)."""
    if follow_up.user_id != user.pk:
        raise FollowUpError(_("This follow-up is not yours."))
    blockers = answer_blockers(follow_up=follow_up)
    if blockers:
        raise FollowUpError(" ".join(blockers))
    if follow_up.evidence_mode == EvidenceMode.NONE:
        raise FollowUpError(_("This follow-up does not ask for a file."))
    return _store_evidence(
        upload, already=follow_up.evidence.count(), user=user, follow_up=follow_up
    )


def module_evidence_blockers(*, user, module) -> list[str]:
    """Why this teacher cannot add evidence to this module now (empty when she can): its
    practice task must ask for it and she must be enrolled in its course. The module page's
    form and add_module_evidence ask this one function."""
    if not module.asks_for_evidence:
        return [_("This module does not ask for a file.")]
    course_path = module.path[: -module.steplen]
    if not Enrollment.objects.filter(user=user, course__path=course_path).exists():
        return [_("Enrol in this course to add evidence to its modules.")]
    return []


def add_module_evidence(*, user, module, upload) -> Evidence:
    """Attach a file to the teacher's work on a module whose practice task asks for it."""
    blockers = module_evidence_blockers(user=user, module=module)
    if blockers:
        raise FollowUpError(" ".join(blockers))
    already = Evidence.objects.filter(user=user, module=module).count()
    return _store_evidence(upload, already=already, user=user, module=module)


def _store_evidence(upload, *, already: int, **attached_to) -> Evidence:
    """Check an uploaded file by its content (evidence_files.check_evidence), clean it and
    store it privately under a random name. attached_to: the owner and a follow-up or a
    module (the model's check constraint wants exactly one of those two)."""
    if already >= MAX_EVIDENCE_FILES:
        raise FollowUpError(_("You can add up to %(n)d files.") % {"n": MAX_EVIDENCE_FILES})
    if upload.size is not None and upload.size > MAX_BYTES:
        raise FollowUpError(_("That file is larger than 10 MB. Try a smaller photo or a PDF."))
    try:
        checked = check_evidence(upload.read(MAX_BYTES + 1))
    except EvidenceRejected as error:
        raise FollowUpError(str(error)) from error
    evidence = Evidence(
        **attached_to,
        original_name=_display_name(upload.name, checked.extension),
        content_type=checked.content_type,
        extension=checked.extension,
        size=len(checked.content),
    )
    evidence.file.save("evidence", ContentFile(checked.content), save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def remove_evidence(*, user, evidence: Evidence) -> None:
    """The owner removes a file: a module's any time, a follow-up's until it is submitted."""
    if evidence.user_id != user.pk:
        raise FollowUpError(_("This file is not yours."))
    if evidence.follow_up_id is not None and evidence.follow_up.submitted_at is not None:
        raise FollowUpError(_("This follow-up is submitted; its files stay with it."))
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name), robust=True)


def erase_evidence_files(*, user) -> int:
    """Delete every evidence file this person uploaded (to follow-ups and modules), once the
    transaction that erases their rows commits (closing an account: the rows go with the
    user, the files would otherwise stay in private storage). Returns how many."""
    files = [(e.file.name, e.file.storage) for e in Evidence.objects.filter(user=user)]
    for name, storage in files:
        transaction.on_commit(partial(storage.delete, name), robust=True)
    return len(files)


def set_follow_up_emails(*, user, enabled: bool) -> FollowUpEmailPreference:
    preference, _created = FollowUpEmailPreference.objects.update_or_create(
        user=user, defaults={"emails_enabled": enabled}
    )
    return preference
