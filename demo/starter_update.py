"""Bring the starter course on an existing database up to date with content/starter_course/.

Safe to run on a live site and idempotent: what is missing is created; a page or quiz still
as the loader wrote it (modules.starter_content.still_as_seeded) is replaced by the shipped
version; one an author edited is kept and reported, unless forced. Quizzes are updated in
place and attempts already made keep showing the version they answered (quizzes.versions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from modules.models import CoursePage
from modules.starter_content import (
    KEPT,
    UPDATED,
    course_key,
    module_key,
    read_course_data,
    read_earlier_seeds,
    shipped_course_fingerprint,
    shipped_module_fingerprint,
    update_course_pages,
)
from quizzes.models import Quiz
from quizzes.starter import (
    quiz_fields,
    quiz_fingerprint,
    quiz_key,
    self_assessment_fields,
    self_assessment_key,
    update_starter_quizzes,
)

from .course import ensure_starter_course
from .quizzes import attach_quizzes, demo_extra_questions


@dataclass
class StarterUpdate:
    course: CoursePage
    actions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def updated(self) -> list[str]:
        return [key for key, action in self.actions if action == UPDATED]

    @property
    def kept(self) -> list[str]:
        return [key for key, action in self.actions if action == KEPT]


@transaction.atomic
def update_starter_course(*, force: bool = False) -> StarterUpdate:
    data = read_course_data()
    course = attach_quizzes(ensure_starter_course())  # whatever is missing, created
    earlier = read_earlier_seeds()
    actions = update_course_pages(course=course, data=data, earlier=earlier, force=force)
    actions += update_starter_quizzes(
        course=course,
        course_data=data,
        earlier=earlier,
        force=force,
        extra_questions=demo_extra_questions(data),
    )
    course.refresh_from_db()
    return StarterUpdate(course=course, actions=actions)


def shipped_fingerprints(data) -> dict[str, str]:
    """The fingerprint of every page and quiz the loader writes from `data` (for the list of
    earlier releases, scripts/starter_seed_fingerprints.py)."""
    slug = data.course["slug"]
    extra = demo_extra_questions(data)
    prints = {course_key(slug): shipped_course_fingerprint(data.course)}
    for module in data.modules:
        prints[module_key(slug, module["slug"])] = shipped_module_fingerprint(module)
        if "quiz" in module:
            fields = quiz_fields(module["quiz"], extra.get(module["slug"], []))
            prints[quiz_key(slug, module["slug"])] = quiz_fingerprint(Quiz(**fields))
    if "self_assessment" in data.course:
        fields = self_assessment_fields(data.course["self_assessment"])
        prints[self_assessment_key(slug)] = quiz_fingerprint(Quiz(**fields))
    return prints
