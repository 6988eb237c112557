"""Synthetic data at three sizes, built with bulk inserts."""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from certificates.codes import generate_code
from certificates.models import Certificate
from coaching.models import Assignment, Cohort, CohortMembership
from core.roles import COACHES
from modules.models import CourseIndexPage, CoursePage, Enrollment, ModulePage, ModuleProgress
from pdsite.models import HomePage
from quizzes.grading import quiz_questions
from quizzes.models import Answer, Attempt, Quiz
from quizzes.versions import current_version
from tests.factories import agreement_question, mc_question, reflection_question

SIZES = {
    # Enrolments per teacher are set so progress rows land near the figures
    # (about 30,000 at medium, 500,000 at large); a teacher has done 0..all modules of each.
    # The first cohort is the biggest (500 teachers at large); the coach matrix times it.
    "small": {
        "teachers": 50,
        "cohorts": 2,
        "biggest_cohort": 25,
        "courses": 2,
        "modules": 6,
        "courses_per_teacher": 2,
    },
    "medium": {
        "teachers": 1000,
        "cohorts": 20,
        "biggest_cohort": 50,
        "courses": 10,
        "modules": 6,
        "courses_per_teacher": 8,
    },
    "large": {
        "teachers": 10000,
        "cohorts": 100,
        "biggest_cohort": 500,
        "courses": 20,
        "modules": 8,
        "courses_per_teacher": 10,
    },
}
# Shares of finished and of unfinished modules that leave a quiz attempt behind (passed,
# failed): about 10,000 attempts at medium.
ATTEMPT_SHARE = 0.4
FAILED_SHARE = 0.2
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
    coaches: list = field(default_factory=list)
    cohorts: list = field(default_factory=list)
    assignments: list = field(default_factory=list)
    # The teacher the per-user pages are timed for, and the module they are on.
    probe: object = None
    probe_module: ModulePage | None = None
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


def _quiz(rng: random.Random, title: str):
    """Six questions, as the issue asks: four multiple choice, an agreement item, a reflection."""
    questions = [
        mc_question(
            _sentence(rng),
            [(_sentence(rng), True, "Yes."), (_sentence(rng), False, "Not quite.")]
            + [(_sentence(rng), False, "Look again.") for _ in range(2)],
        )
        for _ in range(4)
    ]
    questions += [
        agreement_question(_sentence(rng)),
        reflection_question(_sentence(rng), min_words=3),
    ]
    return Quiz.objects.create(title=title, pass_mark=75, questions=questions)


@dataclass
class _QuizKey:
    """What an attempt's answers need to know about a quiz, read once per quiz."""

    mc: list[tuple[str, str, str]]  # (question id, right choice id, wrong choice id)
    agreement: str
    reflection: str

    @classmethod
    def of(cls, quiz) -> _QuizKey:
        questions = quiz_questions(quiz)
        mc = [
            (
                q.id,
                next(c.id for c in q.choices if c.correct),
                next(c.id for c in q.choices if not c.correct),
            )
            for q in questions
            if q.type == "multiple_choice"
        ]
        by_type = {q.type: q.id for q in questions}
        return cls(mc=mc, agreement=by_type["agreement"], reflection=by_type["reflection"])


def _prep(model, field_name: str, value):
    """A value as the database stores it (a timestamp, a UUID, JSON...), for plain INSERTs."""
    return model._meta.get_field(field_name).get_db_prep_save(value, connection)


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain INSERTs for the big tables. bulk_create prepares every value of every row
    through its field, which was most of the build time; these values are prepared once."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})", rows
        )


class _Writer:
    """Collects rows and writes them in bulk, a chunk of teachers at a time (bounded memory)."""

    ENROLLMENT = ("user", "course", "source", "enrolled_at", "completed_at")
    PROGRESS = ("user", "module", "course", "started_at", "last_seen_at", "completed_at")
    ATTEMPT = (
        "id",
        "user",
        "quiz",
        "kind",
        "module",
        "course",
        "submitted_at",
        "score",
        "passed",
        "idempotency_key",
        "quiz_version",
        "version_recorded_late",
    )
    ANSWER = (
        "attempt",
        "question_id",
        "question_type",
        "question_text",
        "choice_ids",
        "scale_value",
        "text",
        "correct",
    )

    def __init__(
        self,
        rng: random.Random,
        keys: dict[int, _QuizKey],
        quiz_ids: dict[int, int],
        version_ids: dict[int, int],
    ):
        self.rng, self.keys, self.quiz_ids = rng, keys, quiz_ids
        self.version_ids = version_ids
        self.now = _prep(Enrollment, "completed_at", timezone.now())
        self.scores = {True: _prep(Attempt, "score", 100), False: _prep(Attempt, "score", 0)}
        self.next_attempt = (Attempt.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        self.enrollments: list[tuple] = []
        self.progress: list[tuple] = []
        self.attempts: list[tuple] = []
        self.answers: list[tuple] = []
        self.counts = {"enrollments": 0, "progress_rows": 0, "quiz_attempts": 0, "answers": 0}

    def enrol(self, teacher, course, modules, done: int, source: str) -> None:
        now = self.now
        complete = now if done == len(modules) else None
        self.enrollments.append((teacher.pk, course.pk, source, now, complete))
        for number, module in enumerate(modules[: done + 1]):
            finished = number < done
            self.progress.append(
                (teacher.pk, module.pk, course.pk, now, now, now if finished else None)
            )
            share = ATTEMPT_SHARE if finished else FAILED_SHARE
            if self.rng.random() < share:
                self.attempt(teacher, module, passed=finished)

    def attempt(self, teacher, module, *, passed: bool) -> None:
        attempt_id = self.next_attempt
        self.next_attempt += 1
        key = _prep(Attempt, "idempotency_key", uuid.UUID(int=self.rng.getrandbits(128)))
        self.attempts.append(
            (
                attempt_id,
                teacher.pk,
                self.quiz_ids[module.pk],
                "module",
                module.pk,
                module.course_pk,
                self.now,
                self.scores[passed],
                passed,
                key,
                self.version_ids[module.pk],
                False,
            )
        )
        quiz = self.keys[module.pk]
        for question_id, right, wrong in quiz.mc:
            choice = _prep(Answer, "choice_ids", [right if passed else wrong])
            self.answers.append(
                (attempt_id, question_id, "multiple_choice", "", choice, None, "", passed)
            )
        empty = _prep(Answer, "choice_ids", [])
        self.answers.append((attempt_id, quiz.agreement, "agreement", "", empty, 4, "", None))
        self.answers.append(
            (attempt_id, quiz.reflection, "reflection", "", empty, None, _sentence(self.rng), None)
        )

    def flush(self) -> None:
        _insert(Enrollment, self.ENROLLMENT, self.enrollments)
        _insert(ModuleProgress, self.PROGRESS, self.progress)
        _insert(Attempt, self.ATTEMPT, self.attempts)
        _insert(Answer, self.ANSWER, self.answers)
        self.counts["enrollments"] += len(self.enrollments)
        self.counts["progress_rows"] += len(self.progress)
        self.counts["quiz_attempts"] += len(self.attempts)
        self.counts["answers"] += len(self.answers)
        self.enrollments, self.progress, self.attempts, self.answers = [], [], [], []

    def finish(self) -> None:
        self.flush()
        # Attempt ids were given explicitly: move PostgreSQL's sequence past them.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Attempt]):
                cursor.execute(sql)


def _cohort_sizes(spec: dict) -> list[int]:
    rest = spec["teachers"] - spec["biggest_cohort"]
    others = spec["cohorts"] - 1
    return [spec["biggest_cohort"]] + [rest // others + (n < rest % others) for n in range(others)]


def build(size: str, *, seed: int = 2026) -> Dataset:
    from bench.models import BarePage

    started = time.perf_counter()
    spec = SIZES[size]
    rng = random.Random(seed)
    home, index = _tree()
    data = Dataset(size=size, home=home)

    keys: dict[int, _QuizKey] = {}
    quiz_ids: dict[int, int] = {}
    # Every attempt keeps the quiz version it was graded against, as the services do.
    version_ids: dict[int, int] = {}
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
            quiz = _quiz(rng, f"Course {number + 1}, module {position + 1}")
            module = ModulePage(
                title=f"Module {position + 1}",
                slug=f"module-{position + 1}",
                summary=_sentence(rng),
                estimated_minutes=60,
                body=module_body(rng, [course, *modules]),
                quiz=quiz,
            )
            course.add_child(instance=module)
            modules.append(module)
            module.course_pk = course.pk  # for the attempts, without asking the tree
            keys[module.pk], quiz_ids[module.pk] = _QuizKey.of(quiz), quiz.pk
            version_ids[module.pk] = current_version(quiz).pk
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
        ]
        + [
            User(email=f"coach{n}@bench.example", full_name=f"Coach {n}", password=password)
            for n in range(spec["cohorts"])
        ],
        batch_size=2000,
    )
    data.teachers = list(User.objects.filter(email__startswith="t").order_by("pk"))
    data.coaches = list(User.objects.filter(email__startswith="coach").order_by("pk"))
    Group.objects.get(name=COACHES).user_set.add(*data.coaches)

    today = timezone.localdate()
    sizes = _cohort_sizes(spec)
    cohort_of: dict[int, Cohort] = {}
    assignments = []
    first = 0
    for number, members in enumerate(sizes):
        cohort = Cohort.objects.create(name=f"Cohort {number + 1}")
        cohort.coaches.add(data.coaches[number])
        course = data.courses[number % len(data.courses)]
        assignments.append(
            Assignment(
                cohort=cohort, course=course, due_on=today + timedelta(days=14 - number % 30)
            )
        )
        for teacher in data.teachers[first : first + members]:
            cohort_of[teacher.pk] = cohort
        data.cohorts.append(cohort)
        first += members
    Assignment.objects.bulk_create(assignments)
    data.assignments = list(Assignment.objects.order_by("pk"))
    CohortMembership.objects.bulk_create(
        [CohortMembership(cohort=cohort_of[t.pk], user=t) for t in data.teachers], batch_size=5000
    )
    assigned = {a.cohort_id: a.course for a in data.assignments}

    writer = _Writer(rng, keys, quiz_ids, version_ids)
    probe, *others = data.teachers
    _probe_history(writer, probe, data)
    for offset, teacher in enumerate(others, start=1):
        course = assigned[cohort_of[teacher.pk].pk]
        picks = [course] + [
            data.courses[(offset + k) % len(data.courses)]
            for k in range(spec["courses_per_teacher"])
        ]
        for pick in list(dict.fromkeys(picks))[: spec["courses_per_teacher"]]:
            modules = data.modules[pick.pk]
            source = "assigned" if pick == course else "self"
            writer.enrol(teacher, pick, modules, rng.randint(0, len(modules)), source)
        if offset % 1000 == 0:
            writer.flush()
    writer.finish()
    _certificates()
    data.probe = probe
    data.counts = {
        "teachers": len(data.teachers),
        "cohorts": len(data.cohorts),
        "biggest_cohort": sizes[0],
        "courses": len(data.courses),
        "modules": sum(len(m) for m in data.modules.values()),
        **writer.counts,
        "certificates": Certificate.objects.count(),
    }
    data.build_seconds = time.perf_counter() - started
    return data


def _probe_history(writer: _Writer, probe, data: Dataset) -> None:
    """The teacher every per-user page is timed for, the same at every size (so growth
    shows the cost of data around them, not of a bigger personal history): in the biggest
    cohort, two courses, one finished with a certificate, two quiz tries on the module they
    are on now."""
    first, second = data.courses[0], data.courses[1]
    modules = data.modules[first.pk]
    writer.enrol(probe, first, modules, 2, "assigned")
    writer.attempt(probe, modules[2], passed=False)
    writer.enrol(probe, second, data.modules[second.pk], len(data.modules[second.pk]), "self")
    writer.flush()
    data.probe_module = modules[2]


def _certificates() -> None:
    """A certificate for every finished course (the verify page and transcripts read them)."""
    finished = Enrollment.objects.filter(completed_at__isnull=False).select_related(
        "user", "course"
    )
    rows = [
        Certificate(
            code=generate_code(),
            user=e.user,
            course=e.course,
            enrollment=e,
            name_on_certificate=e.user.full_name,
            course_title=e.course.title,
            hours=e.course.credit_hours,
            completed_at=e.completed_at,
        )
        for e in finished.iterator(chunk_size=5000)
    ]
    Certificate.objects.bulk_create(rows, batch_size=5000)
