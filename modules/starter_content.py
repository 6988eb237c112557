"""Load a course kept as data files (content/<course>/course.toml + module-N.toml) into pages.

The files are the source of truth for the shipped starter course; once loaded,
editors own the pages. Loading again leaves their edits alone unless `reset` is
asked for; update_course_pages (below) brings pages no editor touched up to date.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.blocks import StreamValue

from .models import CourseIndexPage, CoursePage, ModulePage, SeededContent

STARTER_COURSE_DIR = Path(settings.BASE_DIR) / "content" / "starter_course"
# Fingerprints of what earlier releases of the starter course wrote, for databases seeded
# before SeededContent existed (made by scripts/starter_seed_fingerprints.py).
EARLIER_SEEDS_FILE = "earlier_seeds.json"
COURSE_FIELDS = (
    "title",
    "summary",
    "estimated_minutes",
    "credit_hours",
    "sequential",
    "objectives",
    "references",
)
MODULE_FIELDS = ("title", "summary", "estimated_minutes", "required", "body", "activity_plan")
UNCHANGED, UPDATED, KEPT = "unchanged", "updated", "kept (edited by an author)"
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


# Bringing shipped content up to date on a database seeded earlier. The loader records a
# fingerprint of what it wrote (SeededContent); the update overwrites a page or quiz only
# while it still matches that fingerprint (or one an earlier release wrote), so an
# author's edit is never lost unless the update is forced.


def fingerprint(fields: Mapping) -> str:
    """A hash of content as plain JSON. Block ids are left out: they are random per load."""
    canonical = json.dumps(
        {name: _plain(value) for name, value in fields.items()},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(value):
    # A stream as stored (StreamValue) and as the data files give it (a list of dicts) read
    # the same once the ids are gone.
    if isinstance(value, StreamValue):
        value = list(value.raw_data)
    if isinstance(value, list):
        return [
            {
                key: _without_empty(v) if key == "value" else v
                for key, v in dict(item).items()
                if key != "id"
            }
            for item in value
        ]
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return value


def _without_empty(value):
    # A block field that is absent and one left empty mean the same: a page saved after a
    # block gained a field (say the practice task's "ask for evidence", off) stores it, the
    # data files and older pages do not. Empty: False, None or "" (never 0).
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if not (v is False or v is None or v == "")}
    return value


def page_fingerprint(page, names) -> str:
    if page.pk and page.has_unpublished_changes:
        # An author's draft in progress: never equal to anything shipped, so it is kept.
        return "unpublished draft"
    return fingerprint({name: getattr(page, name) for name in names})


def shipped_course_fingerprint(data: dict) -> str:
    return fingerprint(_course_fields(data))  # the same names as COURSE_FIELDS


def shipped_module_fingerprint(data: dict) -> str:
    return fingerprint(_module_fields(data))  # the same names as MODULE_FIELDS


def read_earlier_seeds(directory: Path = STARTER_COURSE_DIR) -> dict[str, list[str]]:
    path = directory / EARLIER_SEEDS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def still_as_seeded(key: str, live: str, *, earlier: Collection[str] = ()) -> bool:
    """Whether shipped content is still as the loader wrote it (no author has edited it):
    its fingerprint equals the one recorded at loading, or, for content loaded before
    records were kept, one that an earlier release wrote."""
    record = SeededContent.objects.filter(key=key).first()
    if record is not None:
        return record.fingerprint == live
    return live in earlier


def bring_up_to_date(
    key: str,
    *,
    live: str,
    shipped: str,
    earlier: Mapping[str, Collection[str]],
    force: bool,
    apply: Callable[[], None],
) -> str:
    """Overwrite one piece of shipped content with `apply` when it may be; returns what
    happened (UNCHANGED, UPDATED or KEPT) and records what the loader wrote."""
    if live == shipped:
        action = UNCHANGED
    elif force or still_as_seeded(key, live, earlier=earlier.get(key, ())):
        apply()
        action = UPDATED
    else:
        return KEPT
    record, created = SeededContent.objects.get_or_create(
        key=key, defaults={"fingerprint": shipped}
    )
    if not created and record.fingerprint != shipped:  # a second run writes nothing
        record.fingerprint = shipped
        record.save(update_fields=["fingerprint", "updated_at"])
    return action


def course_key(course_slug: str) -> str:
    return f"course:{course_slug}"


def module_key(course_slug: str, module_slug: str) -> str:
    return f"module:{course_slug}/{module_slug}"


def _publish(page, fields: dict) -> Callable[[], None]:
    def apply():
        _apply(page, fields)
        page.save_revision().publish()

    return apply


@transaction.atomic
def update_course_pages(
    *, course: CoursePage, data: CourseData, earlier: Mapping, force: bool = False
) -> list[tuple[str, str]]:
    """Bring the course page and its module pages up to date with the data files, page by
    page, keeping every page an author edited (unless `force`). Returns (key, action)."""
    slug = data.course["slug"]
    actions = [
        (
            course_key(slug),
            bring_up_to_date(
                course_key(slug),
                live=page_fingerprint(course, COURSE_FIELDS),
                shipped=shipped_course_fingerprint(data.course),
                earlier=earlier,
                force=force,
                apply=_publish(course, _course_fields(data.course)),
            ),
        )
    ]
    modules = {m.slug: m for m in ModulePage.objects.child_of(course)}
    for module_data in data.modules:
        module = modules.get(module_data["slug"])
        if module is None:  # load_course creates missing modules; nothing to bring up to date
            continue
        key = module_key(slug, module.slug)
        action = bring_up_to_date(
            key,
            live=page_fingerprint(module, MODULE_FIELDS),
            shipped=shipped_module_fingerprint(module_data),
            earlier=earlier,
            force=force,
            apply=_publish(module, _module_fields(module_data)),
        )
        actions.append((key, action))
    return actions
