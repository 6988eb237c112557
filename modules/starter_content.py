"""Load a course kept as data files (content/<course>/course.toml + module-N.toml) into pages.

The files are the source of truth for the shipped starter course; once loaded,
editors own the pages. Loading again leaves their edits alone unless `reset` is
asked for.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import CourseIndexPage, CoursePage, ModulePage

STARTER_COURSE_DIR = Path(settings.BASE_DIR) / "content" / "starter_course"
# A short second course, so the catalogue's filters have more than one course to show.
GRADE_LEVEL_MATH_DIR = Path(settings.BASE_DIR) / "content" / "grade_level_math"


@dataclass
class CourseData:
    course: dict
    modules: list[dict]


def read_course_data(directory: Path = STARTER_COURSE_DIR) -> CourseData:
    course = tomllib.loads((directory / "course.toml").read_text(encoding="utf-8"))
    module_files = sorted(
        directory.glob("module-*.toml"), key=lambda path: int(path.stem.split("-")[1])
    )
    modules = [tomllib.loads(path.read_text(encoding="utf-8")) for path in module_files]
    return CourseData(course=course, modules=modules)


def body_stream(blocks: list[dict]) -> list[dict]:
    """Turn the data file's blocks into StreamField raw data."""
    stream = []
    for block in blocks:
        kind = block["type"]
        if kind == "rich_text":
            stream.append({"type": "rich_text", "value": block["html"]})
        elif kind == "callout":
            value = {
                "kind": block.get("kind", "note"),
                "title": block["title"],
                "body": block["html"],
            }
            stream.append({"type": "callout", "value": value})
        elif kind == "research_note":
            value = {
                "title": block["title"],
                "body": block["html"],
                "citation": block["citation"],
                "reference": block.get("reference", ""),
            }
            stream.append({"type": "research_note", "value": value})
        elif kind == "practice":
            value = {
                "title": block["title"],
                "grade_band": block.get("grade_band", ""),
                "body": block["html"],
            }
            stream.append({"type": "practice", "value": value})
        else:
            raise ValueError(f"Unknown block type in course data: {kind!r}")
    return stream


def _course_fields(data: dict) -> dict:
    return {
        "title": data["title"],
        "summary": data["summary"],
        "estimated_minutes": data.get("estimated_minutes", 60),
        "credit_hours": Decimal(str(data.get("credit_hours", 0))),
        "sequential": data.get("sequential", False),
        "objectives": [{"type": "objective", "value": text} for text in data.get("objectives", [])],
        "references": [
            {
                "type": "reference",
                "value": {"key": ref["key"], "text": ref["text"], "url": ref.get("url", "")},
            }
            for ref in data.get("references", [])
        ],
    }


def _module_fields(data: dict) -> dict:
    return {
        "title": data["title"],
        "summary": data.get("summary", ""),
        "estimated_minutes": data.get("estimated_minutes", 30),
        "required": data.get("required", True),
        "body": body_stream(data.get("body", [])),
        "activity_plan": [
            {
                "type": "activity",
                "value": {
                    "title": activity["title"],
                    "minutes": activity["minutes"],
                    "detail": activity.get("detail", ""),
                },
            }
            for activity in data.get("activities", [])
        ],
    }


def _apply(page, fields: dict) -> None:
    for name, value in fields.items():
        setattr(page, name, value)


def _apply_topics(course: CoursePage, topics: list[str], *, reset: bool) -> bool:
    """Give the course the file's topics when it has none (or on reset). Returns whether
    they changed. Once an editor has chosen topics, they are theirs."""
    if not topics or (not reset and course.tags.all()):
        return False
    if sorted(tag.name for tag in course.tags.all()) == sorted(topics):
        return False
    course.tags.set(topics)
    return True


@transaction.atomic
def load_course(
    *, index: CourseIndexPage, data: CourseData, reset: bool = False, on_module=None
) -> tuple[CoursePage, bool]:
    """Create the course (or, with reset, overwrite it) and publish it. Returns (course, changed).

    `on_module(module_page, module_data, reset)` lets other apps attach their part (the quiz).
    """
    slug = data.course["slug"]
    course = CoursePage.objects.child_of(index).filter(slug=slug).first()
    changed = False
    topics = data.course.get("topics", [])
    if course is None:
        course = CoursePage(slug=slug, **_course_fields(data.course))
        course.tags.add(*topics)
        index.add_child(instance=course)
        changed = True
    elif reset:
        _apply(course, _course_fields(data.course))
        _apply_topics(course, topics, reset=True)
        changed = True
    else:
        changed = _apply_topics(course, topics, reset=False)
    if changed:
        course.save_revision().publish()

    for module_data in data.modules:
        module = ModulePage.objects.child_of(course).filter(slug=module_data["slug"]).first()
        module_changed = False
        if module is None:
            module = ModulePage(slug=module_data["slug"], **_module_fields(module_data))
            course.add_child(instance=module)
            module_changed = True
        elif reset:
            _apply(module, _module_fields(module_data))
            module_changed = True
        if on_module is not None:
            module_changed = (
                on_module(module, module_data, reset or module_changed) or module_changed
            )
        if module_changed:
            module.save_revision().publish()
        changed = changed or module_changed
    return course, changed
