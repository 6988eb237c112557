"""quizzes/forms.py: multiple-choice options are shuffled per attempt, by choice id."""

import pytest

from quizzes import forms
from quizzes.grading import quiz_questions
from tests import factories

pytestmark = pytest.mark.django_db

LETTERS = "ABCDEFGH"


@pytest.fixture
def quiz():
    return factories.quiz(
        questions=[
            factories.mc_question(
                f"Question {n}",
                [(f"Choice {letter}", letter == "A", f"Feedback {letter}") for letter in LETTERS],
            )
            for n in range(3)
        ]
    )


def _orders(form):
    return [[option["label"] for option in field.options] for field in form.fields]


def _form(quiz, key):
    return forms.build_form(quiz, action="/", order_key=key)


def test_without_a_key_the_choices_keep_the_editors_order(quiz):
    form = forms.build_form(quiz, action="/")
    assert _orders(form) == [[f"Choice {letter}" for letter in LETTERS]] * 3


def test_the_order_stays_the_same_while_a_teacher_works_on_one_attempt(quiz):
    key = forms.choice_order_key(user_id=7, quiz_id=quiz.pk, attempt_id=None)
    assert _orders(_form(quiz, key)) == _orders(_form(quiz, key))


def test_a_new_attempt_gets_a_new_order_with_the_same_choices(quiz):
    first = _orders(
        _form(quiz, forms.choice_order_key(user_id=7, quiz_id=quiz.pk, attempt_id=None))
    )
    second = _orders(_form(quiz, forms.choice_order_key(user_id=7, quiz_id=quiz.pk, attempt_id=41)))
    assert first != second
    assert [sorted(order) for order in first] == [sorted(order) for order in second]
    # With eight choices the right one is not always listed first.
    assert {order.index("Choice A") for order in first + second} != {0}


def test_options_still_carry_the_choice_ids_the_grader_uses(quiz):
    form = _form(quiz, forms.choice_order_key(user_id=7, quiz_id=quiz.pk, attempt_id=3))
    for field, question in zip(form.fields, quiz_questions(quiz), strict=True):
        by_id = {choice.id: choice.text for choice in question.choices}
        assert {option["value"]: option["label"] for option in field.options} == by_id
