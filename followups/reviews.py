"""A coach's review of a submitted follow-up: the implementation rubric plus feedback."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import outbox
from core.sanitise import TextTooLong, clean_text

from .enums import Rubric
from .models import FollowUpReview
from .permissions import can_review_follow_up
from .services import FollowUpError
from .tasks import review_email_key, send_review_email

MAX_REVIEW_CHARS = 5000


@transaction.atomic
def review_follow_up(*, coach, follow_up, rubric: str, body: str) -> FollowUpReview:
    """Mark the follow-up on the rubric with optional feedback. Marking again replaces the
    coach's earlier review (one per coach); the teacher is emailed each time."""
    if not can_review_follow_up(coach, follow_up):
        raise FollowUpError(_("You can only review follow-ups of teachers you coach."))
    if rubric not in Rubric.values:
        raise FollowUpError(_("Choose tried as planned, adapted or not yet."))
    try:
        cleaned = clean_text(body, max_length=MAX_REVIEW_CHARS)
    except TextTooLong as error:
        raise FollowUpError(str(error)) from error
    try:
        with transaction.atomic():
            review, _created = FollowUpReview.objects.update_or_create(
                follow_up=follow_up, coach=coach, defaults={"rubric": rubric, "body": cleaned}
            )
    except IntegrityError:  # the same coach's double click: the other request's row stands
        review = FollowUpReview.objects.get(follow_up=follow_up, coach=coach)
    key = review_email_key(review)
    outbox.record(key=key, task=send_review_email, review_id=review.pk, email_key=key)
    return review
