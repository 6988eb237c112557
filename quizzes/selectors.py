"""Reads about quizzes, attempts and reflections. Every read is scoped to one user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator

from core.cache_versions import versioned
from core.content_version import CONTENT_VERSION_KEY
from modules.course_state import state_version_key
from modules.models import CoursePage, ModulePage

from .grading import (
    AGREEMENT,
    MULTIPLE_CHOICE,
    REFLECTION,
    SCALE_LABELS,
    Choice,
    Question,
    quiz_questions,
)
from .models import Answer, Attempt, AttemptKind, Draft, Quiz, QuizVersion
from .versions import version_questions


def load_draft(*, user, quiz: Quiz, kind: str = AttemptKind.MODULE, module=None) -> dict:
    """The teacher's saved draft for this quiz, as {question_id: [values]} (empty if none)."""
    drafts = Draft.objects.filter(user=user, quiz=quiz, kind=kind)
    drafts = drafts.filter(module=module) if module is not None else drafts.filter(module=None)
    draft = drafts.order_by("-updated_at").first()
    return draft.data if draft else {}


@dataclass
class AnswerResult:
    answer: Answer
    number: int
    question_text: str
    picked: list[Choice] = field(default_factory=list)
    explanation: str = ""

    @property
    def id(self) -> str:
        return self.answer.question_id

    @property
    def type(self) -> str:
        return self.answer.question_type

    @property
    def scale_label(self) -> str:
        return str(SCALE_LABELS.get(self.answer.scale_value, ""))


@dataclass
class AttemptResult:
    attempt: Attempt
    answers: list[AnswerResult]
    pass_mark: int | None = None

    @property
    def recorded_late(self) -> bool:
        """The questions shown were recorded after this attempt (see Attempt)."""
        return self.attempt.version_recorded_late

    @property
    def to_revisit(self) -> list[AnswerResult]:
        return [item for item in self.answers if item.answer.correct is False]

    @property
    def right(self) -> int:
        return sum(1 for item in self.answers if item.answer.correct)

    @property
    def graded(self) -> int:
        return sum(1 for item in self.answers if item.answer.correct is not None)

    @property
    def reflections(self) -> list[AnswerResult]:
        return [item for item in self.answers if item.type == REFLECTION]


def questions_as_answered(attempt: Attempt, quiz: Quiz | None) -> tuple[list[Question], int | None]:
    """The questions and pass mark this attempt was graded against: its stored version, or
    (for an attempt without one) the quiz as it is now. The attempt's quiz_version must be
    loaded with it (select_related), so that reading many attempts costs no query each."""
    if attempt.quiz_version_id is not None:
        version = attempt.quiz_version
        return version_questions(version), version.definition.get("pass_mark")
    if quiz is None:
        return [], None
    return quiz_questions(quiz), quiz.pass_mark


def _results(attempt: Attempt, answers: list[Answer], quiz: Quiz | None) -> AttemptResult:
    """Answers in the order of the version answered, each picked choice with its feedback.

    The question's wording is the one stored with the answer (what the teacher read)."""
    question_list, pass_mark = questions_as_answered(attempt, quiz)
    questions = {q.id: q for q in question_list}
    order = {question_id: index for index, question_id in enumerate(questions)}
    answers = sorted(answers, key=lambda a: (order.get(a.question_id, len(order)), a.pk))
    items = []
    for number, answer in enumerate(answers, start=1):
        question = questions.get(answer.question_id)
        item = AnswerResult(answer=answer, number=number, question_text=answer.question_text)
        if question is not None and answer.question_type == MULTIPLE_CHOICE:
            item.picked = [c for c in question.choices if c.id in set(answer.choice_ids)]
            item.explanation = question.explanation
        items.append(item)
    return AttemptResult(attempt=attempt, answers=items, pass_mark=pass_mark)


def picked_choice_texts(answers) -> dict[int, list[str]]:
    """The wording of the choices picked in each answer, from the version its attempt
    answered (answer pk -> texts). Select `attempt__quiz_version` with the answers: each
    version is parsed once, whatever the number of answers."""
    versions: dict[int, QuizVersion] = {}
    texts = {}
    for answer in answers:
        attempt = answer.attempt
        if attempt.quiz_version_id is not None:
            attempt.quiz_version = versions.setdefault(
                attempt.quiz_version_id, attempt.quiz_version
            )
        questions, _pass_mark = questions_as_answered(attempt, None)
        question = next((q for q in questions if q.id == answer.question_id), None)
        picked = set(answer.choice_ids)
        texts[answer.pk] = [c.text for c in question.choices if c.id in picked] if question else []
    return texts


def attempt_result(*, user, attempt_id: int, quiz: Quiz | None) -> AttemptResult | None:
    """One of the user's own attempts with its answers (one query)."""
    answers = list(
        Answer.objects.filter(attempt_id=attempt_id, attempt__user=user)
        .select_related("attempt", "attempt__quiz_version")
        .order_by("pk")
    )
    if answers:
        attempt = answers[0].attempt
    else:
        attempt = (
            Attempt.objects.filter(pk=attempt_id, user=user).select_related("quiz_version").first()
        )
        if attempt is None:
            return None
    return _results(attempt, answers, quiz)


def module_page_result(*, user, course_id: int, attempt_id: int, quiz: Quiz) -> AttemptResult:
    """The last attempt's result block on the module page, kept with the teacher's course
    snapshot (modules.course_state): under the same versions, so a new attempt or an edited
    quiz shows at once. /reflections/ and the coach's pages read the rows themselves."""
    return versioned(
        f"quizzes:module-page-result:{user.pk}:{attempt_id}",
        [state_version_key(user.pk, course_id), CONTENT_VERSION_KEY],
        lambda: attempt_result(user=user, attempt_id=attempt_id, quiz=quiz),
    )


def self_assessment_change(before: int | None, after: int | None) -> int | None:
    """How far a teacher moved on one agreement statement, closing minus opening answer (the
    one rule for the teacher's comparison and the coach's matrix); None without both."""
    if before is None or after is None:
        return None
    return after - before


@dataclass
class ComparisonRow:
    statement: str
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        return self_assessment_change(self.before, self.after)

    @property
    def before_label(self) -> str:
        return str(SCALE_LABELS.get(self.before, ""))

    @property
    def after_label(self) -> str:
        return str(SCALE_LABELS.get(self.after, ""))


def self_assessment_comparison(*, user, progress) -> list[ComparisonRow]:
    """Where the teacher started and ended, statement by statement (one query)."""
    ids = [pk for pk in (progress.pre_attempt_id, progress.post_attempt_id) if pk]
    if not ids:
        return []
    rows: dict[str, ComparisonRow] = {}
    answers = Answer.objects.filter(
        attempt_id__in=ids, attempt__user=user, question_type=AGREEMENT
    ).order_by("pk")
    for answer in answers:
        row = rows.setdefault(
            answer.question_id,
            ComparisonRow(statement=answer.question_text, before=None, after=None),
        )
        if answer.attempt_id == progress.pre_attempt_id:
            row.before = answer.scale_value
        else:
            row.after = answer.scale_value
            row.statement = answer.question_text
    return list(rows.values())


@dataclass
class ModuleHistory:
    title: str
    module: ModulePage | None
    kind: str
    attempts: list[AttemptResult] = field(default_factory=list)

    @property
    def latest(self) -> datetime:
        return self.attempts[0].attempt.submitted_at


@dataclass
class CourseHistory:
    title: str
    course: CoursePage | None
    groups: list[ModuleHistory] = field(default_factory=list)


REFLECTIONS_PER_PAGE = 20


def _fields(model, prefix: str = "") -> list[str]:
    return [prefix + f.name for f in model._meta.concrete_fields]


# What reflection_history loads: attempts, quizzes and versions whole; of the pages, what a
# link needs (pageurl reads id, url_path and the locale's site root paths).
_HISTORY_FIELDS = [
    *_fields(Attempt),
    *_fields(Quiz, "quiz__"),
    *_fields(QuizVersion, "quiz_version__"),
    *(
        f"{page}__{name}"
        for page in ("module", "course")
        for name in ("title", "url_path", "depth", "path", "locale")
    ),
]


@dataclass
class ReflectionHistory:
    page: Page
    courses: list[CourseHistory]


def reflection_history(*, user, page_number=1, per_page=REFLECTIONS_PER_PAGE) -> ReflectionHistory:
    """One page of the user's own attempts (newest first), grouped by course then module
    (or self-assessment), each with its answers. Four queries whatever the history's length;
    a page, not the whole history, so a year of reflections still opens quickly."""
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("quiz", "quiz_version", "module", "course")
        # Of the module and course pages, only what the page shows (title, link): their
        # other columns (two page tables each) were most of the cost of building the SQL.
        .only(*_HISTORY_FIELDS)
        .prefetch_related("answers")
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(attempts, per_page).get_page(page_number)
    courses: dict[object, CourseHistory] = {}
    groups: dict[tuple, ModuleHistory] = {}
    # One Quiz object per quiz: each parses its questions once, however many attempts.
    quizzes: dict[int, Quiz] = {}
    versions: dict[int, QuizVersion] = {}
    for attempt in page.object_list:
        quiz = quizzes.setdefault(attempt.quiz_id, attempt.quiz)
        if attempt.quiz_version_id is not None:  # likewise one parse per version
            attempt.quiz_version = versions.setdefault(
                attempt.quiz_version_id, attempt.quiz_version
            )
        course_key = attempt.course_id or ("quiz", attempt.quiz_id)
        course_history = courses.get(course_key)
        if course_history is None:
            course_history = CourseHistory(
                title=attempt.course.title if attempt.course else quiz.title,
                course=attempt.course,
            )
            courses[course_key] = course_history
        if attempt.kind == AttemptKind.MODULE:
            group_key = (course_key, "module", attempt.module_id or attempt.quiz_id)
            title = attempt.module.title if attempt.module else quiz.title
        else:
            group_key = (course_key, attempt.kind)
            title = str(AttemptKind(attempt.kind).label)
        group = groups.get(group_key)
        if group is None:
            group = ModuleHistory(title=title, module=attempt.module, kind=attempt.kind)
            groups[group_key] = group
            course_history.groups.append(group)
        group.attempts.append(_results(attempt, list(attempt.answers.all()), quiz))
    return ReflectionHistory(page=page, courses=list(courses.values()))
