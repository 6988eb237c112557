from decimal import Decimal

import pytest

from quizzes.grading import QuizValidationError, check_and_grade, quiz_questions
from quizzes.models import Quiz
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return factories.quiz(pass_mark=50)


def ids(quiz):
    single, several, agreement, reflection = quiz_questions(quiz)
    return single, several, agreement, reflection


def wrong(question):
    return [c.id for c in question.choices if not c.correct][:1]


def test_question_and_choice_ids_are_the_stored_block_ids_and_survive_reloading(quiz):
    first = [(q.id, [c.id for c in q.choices]) for q in quiz_questions(quiz)]
    again = [
        (q.id, [c.id for c in q.choices]) for q in quiz_questions(Quiz.objects.get(pk=quiz.pk))
    ]
    assert first == again
    assert all(question_id for question_id, _choices in first)


def test_all_right_scores_100_and_passes(quiz):
    result = check_and_grade(quiz, factories.right_answers(quiz))
    assert (result.right, result.total, result.score, result.passed) == (2, 2, Decimal("100"), True)


def test_a_single_answer_question_scores_only_its_correct_choice(quiz):
    single, *_ = ids(quiz)
    answers = factories.right_answers(quiz) | {single.id: wrong(single)}
    result = check_and_grade(quiz, answers)
    assert [a.correct for a in result.answers[:2]] == [False, True]
    assert result.score == Decimal("50.00")


def test_several_correct_choices_need_exactly_the_correct_set(quiz):
    _single, several, *_ = ids(quiz)
    correct = sorted(several.correct_ids)
    partial = factories.right_answers(quiz) | {several.id: correct[:1]}
    too_many = factories.right_answers(quiz) | {several.id: [c.id for c in several.choices]}
    assert check_and_grade(quiz, partial).answers[1].correct is False
    assert check_and_grade(quiz, too_many).answers[1].correct is False


@pytest.mark.parametrize(
    ("pass_mark", "passed"), [(49, True), (50, True), (51, False), (0, True), (100, False)]
)
def test_pass_mark_edges_at_half_right(pass_mark, passed):
    quiz = factories.quiz(pass_mark=pass_mark)
    single, *_ = ids(quiz)
    answers = factories.right_answers(quiz) | {single.id: wrong(single)}
    assert check_and_grade(quiz, answers).passed is passed


def test_one_third_right_is_rounded_for_display_but_compared_exactly():
    quiz = factories.quiz(
        pass_mark=33,
        questions=[
            factories.mc_question(f"Q{n}", [("yes", True, ""), ("no", False, "")]) for n in range(3)
        ],
    )
    questions = quiz_questions(quiz)
    answers = {q.id: wrong(q) for q in questions} | {
        questions[0].id: sorted(questions[0].correct_ids)
    }
    result = check_and_grade(quiz, answers)
    assert result.score == Decimal("33.33")
    assert result.passed is True  # 1 * 100 >= 33 * 3


def test_a_quiz_without_multiple_choice_passes_when_the_reflection_is_long_enough():
    quiz = factories.quiz(questions=[factories.reflection_question("Why?", min_words=3)])
    result = check_and_grade(quiz, factories.right_answers(quiz))
    assert (result.score, result.passed) == (None, True)


def test_agreement_is_recorded_not_graded(quiz):
    result = check_and_grade(quiz, factories.right_answers(quiz))
    agreement = result.answers[2]
    assert (agreement.scale_value, agreement.correct) == (4, None)


def test_reflection_text_is_stored_sanitised(quiz):
    *_, reflection = ids(quiz)
    typed = "<script>alert(1)</script> see https://example.org for my plan"
    result = check_and_grade(quiz, factories.right_answers(quiz) | {reflection.id: [typed]})
    assert result.answers[3].text.startswith("&lt;script&gt;")
    assert 'rel="nofollow noopener"' in result.answers[3].text


def messages_for(quiz, answers):
    with pytest.raises(QuizValidationError) as raised:
        check_and_grade(quiz, answers)
    return raised.value


def test_blank_answers_get_a_message_next_to_each_question(quiz):
    single, several, agreement, reflection = ids(quiz)
    error = messages_for(quiz, {})
    assert error.errors == {
        single.id: ["Please choose an answer."],
        several.id: ["Please choose at least one answer."],
        agreement.id: ["Please pick a rating from 1 to 5."],
        reflection.id: ["Please write your reflection."],
    }


def test_too_short_and_too_long_reflections_say_by_how_much(quiz):
    *_, reflection = ids(quiz)
    short = messages_for(quiz, factories.right_answers(quiz) | {reflection.id: ["two words"]})
    assert short.errors == {reflection.id: ["Please write at least 5 words (you have 2)."]}
    long = messages_for(quiz, factories.right_answers(quiz) | {reflection.id: ["word " * 200]})
    assert long.errors == {reflection.id: ["Please keep this to 500 characters (it has 999)."]}


def test_a_choice_from_another_question_is_rejected(quiz):
    single, several, *_ = ids(quiz)
    error = messages_for(quiz, factories.right_answers(quiz) | {single.id: [several.choices[0].id]})
    assert error.errors == {single.id: ["That choice is not one of this question's answers."]}


def test_two_choices_on_a_single_answer_question_are_rejected(quiz):
    single, *_ = ids(quiz)
    answers = factories.right_answers(quiz) | {single.id: [c.id for c in single.choices]}
    assert messages_for(quiz, answers).errors == {single.id: ["Please choose one answer."]}


def test_unknown_question_ids_are_rejected_for_the_whole_form(quiz):
    answers = list(factories.right_answers(quiz).items()) + [("not-a-question", ["x"])]
    error = messages_for(quiz, answers)
    assert error.errors == {}
    assert "do not belong to this quiz" in error.general[0]


def test_a_question_answered_twice_is_rejected(quiz):
    single, *_ = ids(quiz)
    answers = list(factories.right_answers(quiz).items()) + [(single.id, wrong(single))]
    assert messages_for(quiz, answers).errors == {
        single.id: ["This question was answered twice. Please answer it once."]
    }


@pytest.mark.parametrize("value", ["0", "6", "three", "3.5"])
def test_agreement_outside_one_to_five_is_rejected(quiz, value):
    _s, _m, agreement, _r = ids(quiz)
    error = messages_for(quiz, factories.right_answers(quiz) | {agreement.id: [value]})
    assert error.errors == {agreement.id: ["Please pick a rating from 1 to 5."]}
