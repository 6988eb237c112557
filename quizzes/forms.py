"""The quiz form: built from the stored quiz definition, carrying question ids and answers only.

Not a django.forms.Form: the fields come from the quiz's blocks, and every message needs
its own id for aria-describedby. Grading and validation live in grading/services; this
module only turns POST data into (question_id, values) pairs and back into a form.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field

from .grading import (
    AGREEMENT,
    MULTIPLE_CHOICE,
    REFLECTION,
    SCALE,
    SCALE_LABELS,
    Question,
    quiz_questions,
)

QUESTION_FIELD = "question"
TOKEN_FIELD = "submission"
ANSWER_PREFIX = "answer-"


def choice_order_key(*, user_id, quiz_id, attempt_id) -> str:
    """The seed for one attempt's choice order: the same while the teacher works on it
    (a re-shown form keeps its order), new once another attempt has been submitted."""
    return f"{user_id}:{quiz_id}:{attempt_id or 0}"


@dataclass
class QuestionField:
    question: Question
    values: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Multiple-choice options are listed in an order derived from this key, so a teacher
    # who retakes a quiz cannot answer by position. Grading uses choice ids, never order.
    order_key: str = ""

    def _choices_in_order(self):
        choices = list(self.question.choices)
        if not self.order_key:
            return choices

        def rank(choice):
            seed = f"{self.order_key}:{self.question.id}:{choice.id}"
            return hashlib.sha256(seed.encode()).hexdigest()

        return sorted(choices, key=rank)

    @property
    def name(self) -> str:
        return ANSWER_PREFIX + self.question.id

    @property
    def html_id(self) -> str:
        return "q-" + self.question.id

    @property
    def error_id(self) -> str:
        return self.html_id + "-error"

    @property
    def hint_id(self) -> str:
        return self.html_id + "-hint"

    @property
    def value(self) -> str:
        return self.values[0] if self.values else ""

    @property
    def is_multiple_choice(self) -> bool:
        return self.question.type == MULTIPLE_CHOICE

    @property
    def is_agreement(self) -> bool:
        return self.question.type == AGREEMENT

    @property
    def is_reflection(self) -> bool:
        return self.question.type == REFLECTION

    @property
    def options(self) -> list[dict]:
        """Choices (multiple choice) or the 1-5 scale (agreement), with checked state."""
        picked = set(self.values)
        if self.is_multiple_choice:
            return [
                {
                    "value": c.id,
                    "label": c.text,
                    "id": f"{self.html_id}-{c.id}",
                    "checked": c.id in picked,
                }
                for c in self._choices_in_order()
            ]
        if self.is_agreement:
            return [
                {
                    "value": str(n),
                    "label": SCALE_LABELS[n],
                    "number": n,
                    "id": f"{self.html_id}-{n}",
                    "checked": str(n) in picked,
                }
                for n in SCALE
            ]
        return []

    @property
    def describedby(self) -> str:
        ids = []
        if self.is_reflection:
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)


@dataclass
class QuizForm:
    quiz: object
    action: str
    fields: list[QuestionField]
    general_errors: list[str] = field(default_factory=list)
    token: str = ""
    has_draft: bool = False
    # Part of the cache key of a blank form's questions: their order differs per attempt.
    order_key: str = ""

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.fields if f.errors) + len(self.general_errors)

    @property
    def is_blank(self) -> bool:
        """Nothing typed and nothing wrong: the questions read the same for every teacher."""
        return not self.general_errors and not any(f.values or f.errors for f in self.fields)

    @property
    def version(self) -> str:
        """Changes whenever the questions change, however they were saved (admin or code)."""
        raw = json.dumps(list(self.quiz.questions.raw_data), sort_keys=True, default=str)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def build_form(
    quiz,
    *,
    action: str,
    values=None,
    errors=None,
    general=None,
    has_draft=False,
    order_key: str = "",
):
    """A form for `quiz`, filled with `values` ({question_id: [values]}) and messages.

    A fresh one-time token per render: the service stores one attempt per token.
    `order_key` (see choice_order_key) shuffles multiple-choice options per attempt;
    without it they keep the editor's order (previews, the admin).
    """
    values = values or {}
    errors = errors or {}
    fields = []
    for question in quiz_questions(quiz):
        typed = values.get(question.id, [])
        if isinstance(typed, str):
            typed = [typed]
        fields.append(
            QuestionField(
                question=question,
                values=list(typed),
                errors=errors.get(question.id, []),
                order_key=order_key,
            )
        )
    return QuizForm(
        quiz=quiz,
        action=action,
        fields=fields,
        general_errors=list(general or []),
        token=str(uuid.uuid4()),
        has_draft=has_draft,
        order_key=order_key,
    )


def answers_from_post(post) -> list[tuple[str, list[str]]]:
    """(question_id, values) pairs in the order the form listed its questions.

    Question ids listed twice stay twice (the service rejects them); answers posted for
    an id the form did not list are passed on too, so the service can reject them.
    """
    listed = post.getlist(QUESTION_FIELD)
    pairs = [(question_id, post.getlist(ANSWER_PREFIX + question_id)) for question_id in listed]
    for key in post:
        if key.startswith(ANSWER_PREFIX) and key[len(ANSWER_PREFIX) :] not in listed:
            pairs.append((key[len(ANSWER_PREFIX) :], post.getlist(key)))
    return pairs


def values_from_pairs(pairs) -> dict[str, list[str]]:
    """Back into {question_id: values} to re-show what was typed (first listing wins)."""
    values: dict[str, list[str]] = {}
    for question_id, answer in pairs:
        values.setdefault(question_id, answer)
    return values
