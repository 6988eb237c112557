"""Quizzes for a course kept as data files (content/<course>/*.toml): build the Quiz
snippets from the [quiz] and [self_assessment] tables and attach them. Idempotent:
a module or course that already has a quiz keeps it (editors own it once loaded)."""

from __future__ import annotations

import uuid

from django.db import transaction

from modules.models import CoursePage, ModulePage

from .grading import AGREEMENT, MULTIPLE_CHOICE, REFLECTION
from .models import Quiz


def _item(value: dict) -> dict:
    # ListBlock items in Wagtail's current format, each with its own stable id.
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


def question_blocks(questions: list[dict]) -> list[dict]:
    blocks = []
    for question in questions:
        kind = question["type"]
        if kind == MULTIPLE_CHOICE:
            value = {
                "question": question["question"],
                "choices": [
                    _item(
                        {
                            "text": choice["text"],
                            "correct": bool(choice.get("correct", False)),
                            "feedback": choice.get("feedback", ""),
                        }
                    )
                    for choice in question["choices"]
                ],
                "explanation": question.get("explanation", ""),
            }
        elif kind == AGREEMENT:
            value = {"statement": question["statement"]}
        elif kind == REFLECTION:
            value = {
                "prompt": question["prompt"],
                "guidance": question.get("guidance", ""),
                "min_words": question.get("min_words", 50),
                "max_chars": question.get("max_chars", 5000),
            }
        else:
            raise ValueError(f"Unknown question type in course data: {kind!r}")
        blocks.append({"type": kind, "value": value, "id": str(uuid.uuid4())})
    return blocks


def quiz_from_data(data: dict) -> Quiz:
    return Quiz.objects.create(
        title=data["title"],
        intro=data.get("intro", ""),
        pass_mark=data.get("pass_mark", 70),
        questions=question_blocks(data.get("questions", [])),
    )


def self_assessment_from_data(data: dict) -> Quiz:
    return Quiz.objects.create(
        title=data["title"],
        intro=data.get("intro", ""),
        pass_mark=0,
        questions=question_blocks(
            [{"type": AGREEMENT, "statement": text} for text in data.get("statements", [])]
        ),
    )


@transaction.atomic
def attach_starter_quizzes(*, course: CoursePage, course_data, extra_questions=None) -> bool:
    """Give each module its [quiz] and the course its [self_assessment] where missing.

    `extra_questions` maps a module slug to more question dicts appended at load time
    (the demo adds an agreement item so one quiz has every question type).
    Returns whether anything changed.
    """
    extra_questions = extra_questions or {}
    changed = False
    modules = {m.slug: m for m in ModulePage.objects.child_of(course)}
    for module_data in course_data.modules:
        module = modules.get(module_data["slug"])
        if module is None or module.quiz_id is not None or "quiz" not in module_data:
            continue
        quiz_data = dict(module_data["quiz"])
        quiz_data["questions"] = list(quiz_data.get("questions", [])) + list(
            extra_questions.get(module.slug, [])
        )
        module.quiz = quiz_from_data(quiz_data)
        module.save_revision().publish()
        changed = True
    sa_data = course_data.course.get("self_assessment")
    if sa_data and course.self_assessment_id is None:
        course.self_assessment = self_assessment_from_data(sa_data)
        course.save_revision().publish()
        changed = True
    return changed
