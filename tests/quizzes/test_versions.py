"""Old attempts keep their meaning: after an author edits a quiz, an earlier attempt still
shows the questions, choices, feedback and marking the teacher answered."""

import datetime
import uuid

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from coaching import services as coaching_services
from modules import services as progress_services
from quizzes import services
from quizzes.grading import quiz_questions
from quizzes.models import Attempt, Quiz, QuizVersion
from tests import factories
from tests.factories import modules_of

pytestmark = pytest.mark.django_db

TYPED = "I will keep every student on the shared grade-level task this month."


def submit(user, quiz, module, answers):
    return services.submit_attempt(
        user=user, quiz=quiz, module=module, answers=answers, idempotency_key=uuid.uuid4()
    )


def rewrite_quiz(quiz):
    """An author's heavy edit: question 1 reworded, its choices reworded and the correct
    flag moved, question 2 removed, the reflection prompt reworded."""
    questions = list(Quiz.objects.get(pk=quiz.pk).questions.raw_data)
    first = questions[0]["value"]
    first["question"] = "NEW WORDING of the first question"
    for item in first["choices"]:
        item["value"]["text"] = "NEW CHOICE " + item["value"]["text"]
        item["value"]["feedback"] = "NEW FEEDBACK"
        item["value"]["correct"] = not item["value"]["correct"]
    questions[3]["value"]["prompt"] = "NEW PROMPT for the reflection"
    quiz.questions = [questions[0], questions[2], questions[3]]
    quiz.save()


@pytest.fixture
def module(course, quiz, teacher):
    module = factories.attach_quiz(modules_of(course)[0], quiz)
    progress_services.enroll(user=teacher, course=course)
    return module


def assert_shows_the_attempt_as_answered(text):
    assert "What does the opportunity gap describe?" in text
    assert "Differences in ability" in text  # the choice picked, in its old wording
    assert "The research points the other way." in text  # and its feedback
    assert "District funding" in text  # the choice picked in a question since removed
    assert "That is decided above the classroom." in text
    assert text.count("Not quite") == 2  # both marked wrong, as they were graded
    assert "NEW WORDING" not in text and "NEW CHOICE" not in text and "NEW FEEDBACK" not in text


def test_an_edited_quiz_leaves_the_earlier_attempt_as_answered(
    teacher_client, teacher, quiz, module
):
    submit(teacher, quiz, module, factories.wrong_answers(quiz, text=TYPED))
    rewrite_quiz(quiz)
    text = teacher_client.get("/reflections/").text
    assert_shows_the_attempt_as_answered(text)
    assert TYPED in text and "Describe one step you will take this term." in text
    assert "older than the record of quiz versions" not in text
    # The module page's result block too, and its pass mark is the one graded against.
    module_text = teacher_client.get(module.url).text
    assert "Differences in ability" in module_text and "NEW FEEDBACK" not in module_text
    assert "0 of 2 correct" in module_text


def test_the_new_version_grades_new_attempts_against_the_new_answers(teacher, quiz, module):
    first = submit(teacher, quiz, module, factories.wrong_answers(quiz, text=TYPED))
    rewrite_quiz(quiz)
    quiz = Quiz.objects.get(pk=quiz.pk)  # a fresh load, as the next request makes
    second = submit(teacher, quiz, module, factories.right_answers(quiz, text=TYPED))
    assert first.quiz_version_id != second.quiz_version_id
    assert second.passed and not first.passed
    texts = [q["text"] for q in second.quiz_version.definition["questions"]]
    assert texts[0] == "NEW WORDING of the first question"
    assert [q["text"] for q in first.quiz_version.definition["questions"]][0] == (
        "What does the opportunity gap describe?"
    )


def test_attempts_at_an_unchanged_quiz_share_one_stored_version(teacher, quiz, module):
    for _ in range(3):
        submit(teacher, quiz, module, factories.wrong_answers(quiz, text=TYPED))
    assert QuizVersion.objects.count() == 1
    assert Attempt.objects.filter(quiz_version=QuizVersion.objects.get()).count() == 3


def test_the_coach_reads_the_prompt_the_teacher_answered(client, teacher, course, quiz, module):
    coach = factories.coach()
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    coaching_services.assign_course(
        cohort=cohort,
        course=course,
        due_on=datetime.date.today() + datetime.timedelta(days=7),
        assigned_by=coach,
    )
    submit(teacher, quiz, module, factories.wrong_answers(quiz, text=TYPED))
    rewrite_quiz(quiz)
    client.force_login(coach)
    text = client.get(reverse("coaching:teacher_reflections", args=[teacher.pk])).text
    assert TYPED in text
    assert "Describe one step you will take this term." in text
    assert "NEW PROMPT" not in text


def test_history_queries_stay_flat_across_attempts_and_versions(
    client, teacher, quiz, module, django_assert_max_num_queries, organisation_name_cached
):
    for _ in range(3):
        submit(teacher, quiz, module, factories.wrong_answers(quiz, text=TYPED))
        quiz = Quiz.objects.get(pk=quiz.pk)  # a fresh load, as the next request makes
        questions = list(quiz.questions.raw_data)
        for item in questions[0]["value"]["choices"]:
            item["value"]["text"] = "NEW CHOICE " + item["value"]["text"]
        quiz.questions = questions
        quiz.save()
    assert QuizVersion.objects.count() == 3
    client.force_login(teacher)
    # The same budgets as /reflections/ with one version (tests/quizzes/test_views.py),
    # after the view that fills the site's cache entry: built, then kept.
    assert client.get(module.url).status_code == 200
    with django_assert_max_num_queries(7):
        text = client.get("/reflections/").text
    with django_assert_max_num_queries(1):
        assert client.get("/reflections/").status_code == 200
    # Each attempt shows the wording of its own version: three attempts, three wordings.
    picked = "You picked:</span> "
    assert text.count(picked + "Differences in ability") == 1
    assert text.count(picked + "NEW CHOICE Differences in ability") == 1
    assert text.count(picked + "NEW CHOICE NEW CHOICE Differences in ability") == 1


def test_an_attempt_from_before_versions_is_shown_with_a_note(
    teacher_client, teacher, quiz, module
):
    attempt = submit(teacher, quiz, module, factories.wrong_answers(quiz, text=TYPED))
    # What the data migration leaves on an attempt older than versions.
    Attempt.objects.filter(pk=attempt.pk).update(version_recorded_late=True)
    text = teacher_client.get("/reflections/").text
    assert "older than the record of quiz versions" in text
    assert "Differences in ability" in text


def _stream(blocks):
    """StreamField form data keeping each block's and list item's id, as the admin does."""
    data = {"count": str(len(blocks))}
    for index, (kind, block_id, value) in enumerate(blocks):
        data[str(index)] = {
            "type": kind,
            "value": value,
            "deleted": "",
            "order": str(index),
            "id": block_id,
        }
    return data


def _items(items):
    data = {"count": str(len(items))}
    for index, (item_id, value, deleted) in enumerate(items):
        data[str(index)] = {
            "value": value,
            "deleted": "1" if deleted else "",
            "order": str(index),
            "id": item_id,
        }
    return data


def test_an_author_rewording_in_the_admin_keeps_ids_and_never_reuses_a_deleted_choice(
    client, teacher, quiz, module
):
    first = submit(teacher, quiz, module, factories.wrong_answers(quiz, text=TYPED))
    question = quiz_questions(quiz)[0]
    right, wrong = question.choices
    client.force_login(factories.superuser())
    data = nested_form_data(
        {
            "title": quiz.title,
            "intro": "",
            "pass_mark": str(quiz.pass_mark),
            "questions": _stream(
                [
                    (
                        "multiple_choice",
                        question.id,
                        {
                            "question": "Reworded by the author",
                            "choices": _items(
                                [
                                    (
                                        right.id,
                                        {
                                            "text": "Reworded right",
                                            "correct": "on",
                                            "feedback": "Yes.",
                                        },
                                        False,
                                    ),
                                    (
                                        wrong.id,
                                        {"text": wrong.text, "correct": "", "feedback": ""},
                                        True,
                                    ),
                                    (
                                        "",
                                        {
                                            "text": "A brand new choice",
                                            "correct": "",
                                            "feedback": "",
                                        },
                                        False,
                                    ),
                                ]
                            ),
                            "explanation": "",
                        },
                    )
                ]
            ),
        }
    )
    response = client.post(reverse("wagtailsnippets_quizzes_quiz:edit", args=[quiz.pk]), data)
    assert response.status_code == 302, response.content[:3000]
    (edited,) = quiz_questions(Quiz.objects.get(pk=quiz.pk))
    assert edited.id == question.id and edited.text == "Reworded by the author"
    assert [c.text for c in edited.choices] == ["Reworded right", "A brand new choice"]
    assert edited.choices[0].id == right.id
    assert edited.choices[1].id not in {right.id, wrong.id}
    # The earlier attempt picked the deleted choice, and still reads as it did.
    teacher_client = factories.Client()
    teacher_client.force_login(teacher)
    text = teacher_client.get("/reflections/").text
    assert "Differences in ability" in text and "Reworded" not in text
    assert first.answers.get(question_id=question.id).correct is False
