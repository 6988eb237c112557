"""Quiz versions: the exact questions an attempt was graded against, stored once per
distinct content so that old attempts keep their meaning after an author edits the quiz."""

from __future__ import annotations

import hashlib
import json

from .grading import Question, questions_from_definition, quiz_definition
from .models import QuizVersion


def content_hash(definition: dict) -> str:
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def current_version(quiz) -> QuizVersion:
    """The stored version matching the quiz as it is now (created on first use)."""
    definition = quiz_definition(quiz)
    version, _created = QuizVersion.objects.get_or_create(
        quiz=quiz, content_hash=content_hash(definition), defaults={"definition": definition}
    )
    return version


def version_questions(version: QuizVersion) -> list[Question]:
    """The version's questions, parsed once per loaded QuizVersion."""
    cached = getattr(version, "_parsed_questions", None)
    if cached is None:
        cached = version._parsed_questions = questions_from_definition(version.definition)
    return cached
