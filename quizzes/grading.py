"""Read a quiz's stored definition, check a submission against it and grade it.

Pure functions: no database writes, no request. services.submit_attempt calls them.

Stable ids:
* a question's id is its StreamField block id (``Quiz.questions[i].id``);
* a choice's id is its ListBlock item id (``ListValue.bound_blocks[i].id``). Wagtail's
  admin always stores list items with ids; ``Quiz.save`` makes sure data written by
  code (seed files, tests) gets them stored too, so they never change on reload.

Grading rule (documented in docs/quizzes.md): a multiple-choice question scores 1 only
when the set of choices picked equals the set of correct choices; there is no partial
credit, so picking one of two correct answers, or both correct answers plus a wrong one,
scores 0. The score is the percent of multiple-choice questions right; the attempt passes
when ``right * 100 >= pass_mark * total``. A quiz without multiple-choice questions passes
whenever its answers are valid. Agreement items are recorded, never graded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import sanitise

MULTIPLE_CHOICE = "multiple_choice"
AGREEMENT = "agreement"
REFLECTION = "reflection"
SCALE = (1, 2, 3, 4, 5)
SCALE_LABELS = {
    1: gettext_lazy("Strongly disagree"),
    2: gettext_lazy("Disagree"),
    3: gettext_lazy("Neither agree nor disagree"),
    4: gettext_lazy("Agree"),
    5: gettext_lazy("Strongly agree"),
}
# A draft or a submission never carries more than this per field, whatever the quiz says.
HARD_TEXT_LIMIT = 50_000


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    number: int
    choices: tuple[Choice, ...] = ()
    explanation: str = ""
    guidance: str = ""
    min_words: int = 0
    max_chars: int = HARD_TEXT_LIMIT

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(choice.id for choice in self.choices if choice.correct)

    @property
    def several_correct(self) -> bool:
        return len(self.correct_ids) > 1

    @property
    def is_graded(self) -> bool:
        return self.type == MULTIPLE_CHOICE

    @property
    def required(self) -> bool:
        return self.type != REFLECTION or self.min_words > 0

    def choice(self, choice_id: str) -> Choice | None:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        return None


def quiz_questions(quiz) -> list[Question]:
    """The quiz's questions in order, parsed once per Quiz instance."""
    cached = getattr(quiz, "_parsed_questions", None)
    if cached is not None:
        return cached
    questions = []
    for number, block in enumerate(quiz.questions, start=1):
        value = block.value
        if block.block_type == MULTIPLE_CHOICE:
            choices = tuple(
                Choice(
                    id=str(item.id),
                    text=item.value["text"],
                    correct=bool(item.value["correct"]),
                    feedback=item.value["feedback"] or "",
                )
                for item in value["choices"].bound_blocks
            )
            question = Question(
                id=str(block.id),
                type=MULTIPLE_CHOICE,
                text=value["question"],
                number=number,
                choices=choices,
                explanation=value["explanation"] or "",
            )
        elif block.block_type == AGREEMENT:
            question = Question(
                id=str(block.id), type=AGREEMENT, text=value["statement"], number=number
            )
        elif block.block_type == REFLECTION:
            question = Question(
                id=str(block.id),
                type=REFLECTION,
                text=value["prompt"],
                number=number,
                guidance=value["guidance"] or "",
                min_words=value["min_words"] or 0,
                max_chars=min(value["max_chars"] or HARD_TEXT_LIMIT, HARD_TEXT_LIMIT),
            )
        else:  # a block type added later that this code does not know: skip, never crash
            continue
        questions.append(question)
    quiz._parsed_questions = questions
    return questions


def quiz_definition(quiz) -> dict:
    """Everything an attempt is graded against, as plain JSON: the pass mark and every
    question with its choices, correct flags and feedback. quizzes.versions stores it."""
    return {
        "title": quiz.title,
        "pass_mark": quiz.pass_mark,
        "questions": [
            {
                "id": q.id,
                "type": q.type,
                "text": q.text,
                "choices": [
                    {"id": c.id, "text": c.text, "correct": c.correct, "feedback": c.feedback}
                    for c in q.choices
                ],
                "explanation": q.explanation,
                "guidance": q.guidance,
                "min_words": q.min_words,
                "max_chars": q.max_chars,
            }
            for q in quiz_questions(quiz)
        ],
    }


def questions_from_definition(definition: dict) -> list[Question]:
    """The Question objects of a stored definition (the inverse of quiz_definition)."""
    return [
        Question(
            id=item["id"],
            type=item["type"],
            text=item["text"],
            number=number,
            choices=tuple(Choice(**choice) for choice in item.get("choices", [])),
            explanation=item.get("explanation", ""),
            guidance=item.get("guidance", ""),
            min_words=item.get("min_words", 0),
            max_chars=item.get("max_chars", HARD_TEXT_LIMIT),
        )
        for number, item in enumerate(definition.get("questions", []), start=1)
    ]


@dataclass
class GradedAnswer:
    question: Question
    choice_ids: list[str] = field(default_factory=list)
    scale_value: int | None = None
    text: str = ""  # sanitised (sanitise.clean_text)
    correct: bool | None = None


@dataclass
class GradeResult:
    answers: list[GradedAnswer]
    right: int
    total: int
    score: Decimal | None
    passed: bool


class QuizValidationError(Exception):
    """What is wrong with a submission: messages per question id, and for the whole form."""

    def __init__(self, errors: dict[str, list[str]] | None = None, general=None):
        self.errors = errors or {}
        self.general = list(general or [])
        super().__init__("; ".join(self.general + [m for ms in self.errors.values() for m in ms]))


def normalise_answers(answers) -> list[tuple[str, list[str]]]:
    """Accept {question_id: values} or [(question_id, values), ...]; values as a list."""
    pairs = answers.items() if isinstance(answers, Mapping) else answers
    normalised = []
    for question_id, values in pairs:
        if isinstance(values, str) or not isinstance(values, Iterable):
            values = [values]
        normalised.append((str(question_id), ["" if v is None else str(v) for v in values]))
    return normalised


def check_and_grade(quiz, answers) -> GradeResult:
    """Validate a whole submission and grade it. Raises QuizValidationError, storing nothing."""
    questions = quiz_questions(quiz)
    by_id = {question.id: question for question in questions}
    pairs = normalise_answers(answers)
    errors: dict[str, list[str]] = {}
    general: list[str] = []

    submitted: dict[str, list[str]] = {}
    for question_id, values in pairs:
        if question_id not in by_id:
            general.append(
                _(
                    "Some answers do not belong to this quiz (it may have been edited). "
                    "Your answers are kept below: please check them and submit again."
                )
            )
            continue
        if question_id in submitted:
            errors.setdefault(question_id, []).append(
                _("This question was answered twice. Please answer it once.")
            )
            continue
        submitted[question_id] = values

    graded = []
    for question in questions:
        values = [v for v in submitted.get(question.id, []) if v.strip() != ""]
        problem = None
        answer = GradedAnswer(question=question)
        if question.type == MULTIPLE_CHOICE:
            if len(set(values)) != len(values):
                problem = _("A choice was picked twice. Please pick each choice once.")
            elif any(question.choice(value) is None for value in values):
                problem = _("That choice is not one of this question's answers.")
            elif not values:
                problem = (
                    _("Please choose at least one answer.")
                    if question.several_correct
                    else _("Please choose an answer.")
                )
            elif len(values) > 1 and not question.several_correct:
                problem = _("Please choose one answer.")
            else:
                answer.choice_ids = [c.id for c in question.choices if c.id in set(values)]
                answer.correct = frozenset(values) == question.correct_ids
        elif question.type == AGREEMENT:
            if len(values) != 1 or values[0] not in {str(n) for n in SCALE}:
                problem = _("Please pick a rating from 1 to 5.")
            else:
                answer.scale_value = int(values[0])
        else:  # reflection
            if len(values) > 1:
                problem = _("This question was answered twice. Please answer it once.")
            else:
                typed = sanitise.normalise(values[0] if values else "")
                words = sanitise.word_count(typed)
                if not typed and question.required:
                    problem = _("Please write your reflection.")
                elif len(typed) > question.max_chars:
                    problem = _("Please keep this to %(max)d characters (it has %(count)d).") % {
                        "max": question.max_chars,
                        "count": len(typed),
                    }
                elif typed and words < question.min_words:
                    problem = _("Please write at least %(min)d words (you have %(count)d).") % {
                        "min": question.min_words,
                        "count": words,
                    }
                else:
                    answer.text = sanitise.clean_text(typed, max_length=question.max_chars)
        if problem:
            errors.setdefault(question.id, []).append(problem)
        graded.append(answer)

    if errors or general:
        raise QuizValidationError(errors, list(dict.fromkeys(general)))
    return grade(quiz, graded)


def grade(quiz, graded: list[GradedAnswer]) -> GradeResult:
    mc = [answer for answer in graded if answer.question.is_graded]
    total = len(mc)
    right = sum(1 for answer in mc if answer.correct)
    if total == 0:
        return GradeResult(answers=graded, right=0, total=0, score=None, passed=True)
    score = (Decimal(100 * right) / Decimal(total)).quantize(Decimal("0.01"))
    passed = right * 100 >= quiz.pass_mark * total
    return GradeResult(answers=graded, right=right, total=total, score=score, passed=passed)
