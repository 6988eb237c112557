"""Editors build a quiz as a snippet in the Wagtail admin; its ids are stored for good."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from quizzes.grading import quiz_questions
from quizzes.models import Quiz
from tests import factories

pytestmark = pytest.mark.django_db


def list_items(values):
    items = {"count": str(len(values))}
    for index, value in enumerate(values):
        items[str(index)] = {"value": value, "deleted": "", "order": str(index), "id": ""}
    return items


def test_an_editor_builds_a_quiz_with_every_question_type(client):
    client.force_login(factories.superuser())
    data = nested_form_data(
        {
            "title": "Families quiz",
            "intro": "Five minutes.",
            "pass_mark": "60",
            "questions": streamfield(
                [
                    (
                        "multiple_choice",
                        {
                            "question": "Which contact builds trust?",
                            "choices": list_items(
                                [
                                    {"text": "Good news", "correct": "on", "feedback": "Yes."},
                                    {"text": "Only problems", "correct": "", "feedback": "No."},
                                ]
                            ),
                            "explanation": "Positive contact first.",
                        },
                    ),
                    ("agreement", {"statement": "I call families."}),
                    (
                        "reflection",
                        {
                            "prompt": "Plan a call.",
                            "guidance": "",
                            "min_words": "10",
                            "max_chars": "1000",
                        },
                    ),
                ]
            ),
        }
    )
    response = client.post(reverse("wagtailsnippets_quizzes_quiz:add"), data)
    assert response.status_code == 302, response.content[:2000]
    quiz = Quiz.objects.get(title="Families quiz")
    questions = quiz_questions(quiz)
    assert [q.type for q in questions] == ["multiple_choice", "agreement", "reflection"]
    first_ids = [c.id for c in questions[0].choices]
    assert [c.correct for c in questions[0].choices] == [True, False]
    again = quiz_questions(Quiz.objects.get(pk=quiz.pk))
    assert [c.id for c in again[0].choices] == first_ids
