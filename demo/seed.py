"""The demo site: starter course, demo accounts and enough activity that every screen shows
something real. Everything is written through the apps' services, as the site's own screens
do it, and every step is idempotent: running `seed_demo` twice changes nothing."""

from __future__ import annotations

from django.db import transaction

from modules.starter_content import GRADE_LEVEL_MATH_DIR

from .accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, ensure_demo_accounts
from .certificates import ensure_grade_level_math_credit, seed_certificates
from .coaching import seed_coaching_demo
from .course import ensure_grade_level_math_course
from .followups import seed_follow_ups
from .quizzes import attach_course_quizzes, take_course
from .seat_time import seed_active_time
from .starter_update import update_starter_course

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "DEMO_TOTP_SECRET", "seed"]


@transaction.atomic
def seed(*, reset_content: bool = False, demo_second_factor: bool = True) -> dict:
    # Created where missing, brought up to date where no author has edited it.
    course = update_starter_course(force=reset_content).course
    accounts = ensure_demo_accounts(second_factor=demo_second_factor)
    # The demo teacher took both self-assessments and passed every module quiz.
    take_course(user=accounts["teacher@example.com"], course=course)
    seed_certificates(course, accounts)
    seed_coaching_demo(course, accounts)
    seed_follow_ups(course, accounts)
    seed_active_time(course)
    short_course = ensure_grade_level_math_credit(
        attach_course_quizzes(
            ensure_grade_level_math_course(reset=reset_content), GRADE_LEVEL_MATH_DIR
        )
    )
    return {"course": course, "short_course": short_course, "accounts": accounts}
