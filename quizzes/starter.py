"""Quizzes for a course kept as data files (content/<course>/*.toml): build the Quiz
snippets from the [quiz] and [self_assessment] tables and attach them. Idempotent:
a module or course that already has a quiz keeps it; update_starter_quizzes brings a quiz
up to date only while no author has edited it (modules.starter_content.still_as_seeded)."""

from __future__ import annotations

import uuid

from django.db import transaction

from modules.models import CoursePage, ModulePage
from modules.starter_content import bring_up_to_date, fingerprint

from .grading import AGREEMENT, MULTIPLE_CHOICE, REFLECTION, quiz_definition
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


def quiz_fields(data: dict, extra_questions=()) -> dict:
    return {
        "title": data["title"],
        "intro": data.get("intro", ""),
        "pass_mark": data.get("pass_mark", 70),
        "questions": question_blocks(list(data.get("questions", [])) + list(extra_questions)),
    }


def self_assessment_fields(data: dict) -> dict:
    statements = [{"type": AGREEMENT, "statement": text} for text in data.get("statements", [])]
    return {**quiz_fields({**data, "questions": statements}), "pass_mark": 0}


def self_assessment_from_data(data: dict) -> Quiz:
    return Quiz.objects.create(**self_assessment_fields(data))


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
        module.quiz = Quiz.objects.create(
            **quiz_fields(module_data["quiz"], extra_questions.get(module.slug, []))
        )
        module.save_revision().publish()
        changed = True
    sa_data = course_data.course.get("self_assessment")
    if sa_data and course.self_assessment_id is None:
        course.self_assessment = self_assessment_from_data(sa_data)
        course.save_revision().publish()
        changed = True
    return changed


def quiz_fingerprint(quiz: Quiz) -> str:
    """What an author can change in a quiz, without the question and choice ids (random
    per load): an edit in the admin changes it, a reload of the same data does not."""
    definition = quiz_definition(quiz)
    for question in definition["questions"]:
        del question["id"]
        for choice in question["choices"]:
            del choice["id"]
    return fingerprint({"intro": quiz.intro, "definition": definition})


def _bring_quiz_up_to_date(key: str, quiz: Quiz, fields: dict, *, earlier, force) -> str:
    def apply():
        # In place: attempts keep pointing at this quiz, and each shows the version it
        # answered (quizzes.versions); the new questions get new ids, never old ones.
        for name, value in fields.items():
            setattr(quiz, name, value)
        quiz.save()

    return bring_up_to_date(
        key,
        live=quiz_fingerprint(quiz),
        shipped=quiz_fingerprint(Quiz(**fields)),
        earlier=earlier,
        force=force,
        apply=apply,
    )


def quiz_key(course_slug: str, module_slug: str) -> str:
    return f"quiz:{course_slug}/{module_slug}"


def self_assessment_key(course_slug: str) -> str:
    return f"self-assessment:{course_slug}"


@transaction.atomic
def update_starter_quizzes(
    *, course: CoursePage, course_data, earlier, force: bool = False, extra_questions=None
) -> list[tuple[str, str]]:
    """Bring each module's quiz and the course's self-assessment up to date with the data
    files, keeping every quiz an author edited (unless `force`). Returns (key, action)."""
    extra_questions = extra_questions or {}
    actions = []
    modules = {m.slug: m for m in ModulePage.objects.child_of(course).select_related("quiz")}
    for module_data in course_data.modules:
        module = modules.get(module_data["slug"])
        if module is None or module.quiz is None or "quiz" not in module_data:
            continue
        key = quiz_key(course.slug, module.slug)
        fields = quiz_fields(module_data["quiz"], extra_questions.get(module.slug, []))
        actions.append(
            (key, _bring_quiz_up_to_date(key, module.quiz, fields, earlier=earlier, force=force))
        )
    sa_data = course_data.course.get("self_assessment")
    if sa_data and course.self_assessment is not None:
        key = self_assessment_key(course.slug)
        fields = self_assessment_fields(sa_data)
        action = _bring_quiz_up_to_date(
            key, course.self_assessment, fields, earlier=earlier, force=force
        )
        actions.append((key, action))
    return actions
