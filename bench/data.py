"""Synthetic data at three sizes, built with bulk inserts."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from modules.models import CourseIndexPage, CoursePage, Enrollment, ModulePage, ModuleProgress
from pdsite.models import HomePage

SIZES = {
    # teachers, cohorts, courses, modules per course, enrolments per teacher
    "small": {"teachers": 50, "cohorts": 2, "courses": 2, "modules": 6, "courses_per_teacher": 2},
    "medium": {
        "teachers": 1000,
        "cohorts": 20,
        "courses": 10,
        "modules": 6,
        "courses_per_teacher": 5,
    },
    "large": {
        "teachers": 10000,
        "cohorts": 100,
        "courses": 20,
        "modules": 8,
        "courses_per_teacher": 6,
    },
}
WORDS = (
    "students teachers learning classroom expectations families culture language grade "
    "practice evidence feedback belonging equity support assessment reading mathematics "
    "opportunity progress questions routine community partners growth rigour scaffold"
).split()


@dataclass
class Dataset:
    size: str
    home: HomePage
    courses: list[CoursePage] = field(default_factory=list)
    modules: dict[int, list[ModulePage]] = field(default_factory=dict)
    teachers: list = field(default_factory=list)
    bare: Page | None = None
    bare_cached: Page | None = None
    build_seconds: float = 0.0
    counts: dict = field(default_factory=dict)


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 16))
    return " ".join(words).capitalize() + "."


def module_body(rng: random.Random, link_targets: list[Page]) -> list[dict]:
    """About 1,500 words: headings, paragraphs, a few internal links, notes and a practice."""
    blocks = []
    for section in range(6):
        paragraphs = []
        for _ in range(4):
            text = " ".join(_sentence(rng) for _ in range(5))
            if link_targets and rng.random() < 0.3:
                target = rng.choice(link_targets)
                text += f' See <a linktype="page" id="{target.pk}">{target.title}</a>.'
            paragraphs.append(f"<p>{text}</p>")
        blocks.append(
            {"type": "rich_text", "value": f"<h2>Section {section + 1}</h2>" + "".join(paragraphs)}
        )
        if section % 2 == 0:
            blocks.append(
                {
                    "type": "research_note",
                    "value": {
                        "title": "What the research says",
                        "body": f"<p>{_sentence(rng)} {_sentence(rng)}</p>",
                        "citation": "National Research Council (2001)",
                        "reference": "nrc2001",
                    },
                }
            )
    blocks.append(
        {
            "type": "practice",
            "value": {
                "title": "Try it this week",
                "grade_band": "All grades",
                "body": "<ol>" + "".join(f"<li>{_sentence(rng)}</li>" for _ in range(4)) + "</ol>",
            },
        }
    )
    return blocks


def _tree() -> tuple[HomePage, CourseIndexPage]:
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code="en")
        root = Page.add_root(title="Root", slug="root")
    home = HomePage(title="Bench home", slug="bench-home")
    root.add_child(instance=home)
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    index = CourseIndexPage(title="Courses", slug="courses")
    home.add_child(instance=index)
    return home, index


def build(size: str, *, seed: int = 2026) -> Dataset:
    from bench.models import BarePage

    started = time.perf_counter()
    spec = SIZES[size]
    rng = random.Random(seed)
    home, index = _tree()
    data = Dataset(size=size, home=home)

    for number in range(spec["courses"]):
        course = CoursePage(
            title=f"Course {number + 1}",
            slug=f"course-{number + 1}",
            summary=_sentence(rng),
            estimated_minutes=360,
            credit_hours=6,
            objectives=[{"type": "objective", "value": _sentence(rng)} for _ in range(5)],
        )
        index.add_child(instance=course)
        data.courses.append(course)
        modules = []
        for position in range(spec["modules"]):
            module = ModulePage(
                title=f"Module {position + 1}",
                slug=f"module-{position + 1}",
                summary=_sentence(rng),
                estimated_minutes=60,
                body=module_body(rng, [course, *modules]),
            )
            course.add_child(instance=module)
            modules.append(module)
        data.modules[course.pk] = modules

    body = data.modules[data.courses[0].pk][0].body.raw_data
    data.bare = home.add_child(instance=BarePage(title="Bare", slug="bare", body=body))
    data.bare_cached = home.add_child(
        instance=BarePage(title="Bare cached", slug="bare-cached", body=body, cached=True)
    )

    User = get_user_model()
    password = make_password("bench-password")
    User.objects.bulk_create(
        [
            User(email=f"t{n}@bench.example", full_name=f"Teacher {n}", password=password)
            for n in range(spec["teachers"])
        ],
        batch_size=2000,
    )
    data.teachers = list(User.objects.filter(email__endswith="@bench.example").order_by("pk"))

    now = timezone.now()
    enrollments, progress = [], []
    for offset, teacher in enumerate(data.teachers):
        picks = [
            data.courses[(offset + k) % len(data.courses)]
            for k in range(spec["courses_per_teacher"])
        ]
        for course in dict.fromkeys(picks):
            modules = data.modules[course.pk]
            done = rng.randint(0, len(modules))
            enrollments.append(
                Enrollment(
                    user=teacher, course=course, completed_at=now if done == len(modules) else None
                )
            )
            for module in modules[: done + 1] if done < len(modules) else modules:
                progress.append(
                    ModuleProgress(
                        user=teacher,
                        module=module,
                        course=course,
                        completed_at=now if module in modules[:done] else None,
                    )
                )
    Enrollment.objects.bulk_create(enrollments, batch_size=5000)
    ModuleProgress.objects.bulk_create(progress, batch_size=5000)
    data.counts = {
        "teachers": len(data.teachers),
        "courses": len(data.courses),
        "modules": sum(len(m) for m in data.modules.values()),
        "enrollments": len(enrollments),
        "progress_rows": len(progress),
    }
    data.build_seconds = time.perf_counter() - started
    return data
