"""`manage.py update_starter_course` brings an existing database's starter course up to
date: content still as a seed wrote it is replaced, an author's edits are kept unless
forced, attempts already made still read as answered, and a second run changes nothing."""

import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Revision

from demo.course import ensure_catalogue, ensure_home_page
from demo.quizzes import DEMO_REFLECTION, demo_extra_questions, passing_answers
from demo.starter_update import update_starter_course
from modules import services as progress_services
from modules.models import CoursePage, ModulePage, SeededContent
from modules.starter_content import KEPT, UNCHANGED, UPDATED, load_course, read_course_data
from quizzes import services as quiz_services
from quizzes.grading import quiz_questions
from quizzes.models import Attempt, AttemptKind, Quiz, QuizVersion
from quizzes.starter import attach_starter_quizzes
from tests import factories

pytestmark = pytest.mark.django_db

# The starter course as it shipped before the rewrite (course and Module 1), as a site
# seeded then holds it: no SeededContent records.
OLD_COURSE = Path(__file__).parent / "old_starter_course"
OLD_QUESTION = "Which statement best captures the idea of an opportunity gap?"
MODULE_1 = "module:closing-the-achievement-gap/what-the-achievement-gap-is"
QUIZ_1 = "quiz:closing-the-achievement-gap/what-the-achievement-gap-is"


def seed_old_site() -> CoursePage:
    old = read_course_data(OLD_COURSE)
    index = ensure_catalogue(ensure_home_page())
    course, _ = load_course(index=index, data=old)
    attach_starter_quizzes(
        course=course, course_data=old, extra_questions=demo_extra_questions(old)
    )
    return CoursePage.objects.get(pk=course.pk)


def module_one(course) -> ModulePage:
    return (
        ModulePage.objects.child_of(course)
        .select_related("quiz")
        .get(slug="what-the-achievement-gap-is")
    )


def answer_wrongly(user, course, module) -> Attempt:
    progress_services.enroll(user=user, course=course)
    quiz_services.submit_attempt(
        user=user,
        quiz=course.self_assessment,
        kind=AttemptKind.PRE,
        course=course,
        answers=passing_answers(course.self_assessment, ratings=(3,), reflection=""),
        idempotency_key=uuid.uuid4(),
    )
    quiz = Quiz.objects.get(pk=module.quiz_id)
    answers = factories.wrong_answers(quiz, text=DEMO_REFLECTION)  # long enough for 80 words
    return quiz_services.submit_attempt(
        user=user, quiz=quiz, module=module, answers=answers, idempotency_key=uuid.uuid4()
    )


def run_command(*args) -> str:
    out = StringIO()
    call_command("update_starter_course", *args, stdout=out)
    return out.getvalue()


def test_an_old_site_is_brought_up_to_date_and_old_attempts_still_read_as_answered(client):
    course = seed_old_site()
    teacher = factories.teacher()
    old_module = module_one(course)
    attempt = answer_wrongly(teacher, course, old_module)
    old_picked = quiz_questions(old_module.quiz)[0].choice(
        attempt.answers.get(question_id=quiz_questions(old_module.quiz)[0].id).choice_ids[0]
    )

    output = run_command()

    assert "0 kept as edited" in output
    shipped = read_course_data()
    module = module_one(course)
    assert module.title == shipped.modules[0]["title"]
    assert module.estimated_minutes == shipped.modules[0]["estimated_minutes"]
    assert ModulePage.objects.child_of(course).count() == 6  # the missing five were created
    assert module.quiz_id == old_module.quiz_id  # the same quiz, updated in place
    new_texts = [q.text for q in quiz_questions(Quiz.objects.get(pk=module.quiz_id))]
    assert OLD_QUESTION not in new_texts
    assert new_texts[0] == shipped.modules[0]["quiz"]["questions"][0]["question"]
    assert not {q.id for q in quiz_questions(module.quiz)} & set(
        attempt.answers.values_list("question_id", flat=True)
    )  # new questions get new ids, never an old one
    # The teacher's history still loads and shows the old quiz as they answered it.
    client.force_login(teacher)
    response = client.get("/reflections/")
    assert response.status_code == 200
    assert OLD_QUESTION in response.text
    assert old_picked.text in response.text and old_picked.feedback in response.text
    assert "Not quite" in response.text
    assert new_texts[0] not in response.text


def test_a_second_run_changes_nothing():
    seed_old_site()
    run_command()
    revisions, versions = Revision.objects.count(), QuizVersion.objects.count()
    records = list(SeededContent.objects.values_list("key", "fingerprint", "updated_at"))
    output = run_command()
    assert "0 updated, 0 kept as edited, 14 already up to date" in output
    assert Revision.objects.count() == revisions and QuizVersion.objects.count() == versions
    assert list(SeededContent.objects.values_list("key", "fingerprint", "updated_at")) == records


def test_an_authors_edits_are_kept_unless_forced():
    course = seed_old_site()
    module = module_one(course)
    module.title = "Our district's own first module"
    module.save_revision().publish()
    quiz = Quiz.objects.get(pk=module.quiz_id)
    questions = list(quiz.questions.raw_data)
    questions[0]["value"]["question"] = "Our own wording of the first question"
    quiz.questions = questions
    quiz.save()

    result = update_starter_course()

    actions = dict(result.actions)
    assert actions[MODULE_1] == KEPT and actions[QUIZ_1] == KEPT
    assert actions["module:closing-the-achievement-gap/relationships-and-belonging"] == UNCHANGED
    assert module_one(course).title == "Our district's own first module"
    texts = [q.text for q in quiz_questions(Quiz.objects.get(pk=quiz.pk))]
    assert texts[0] == "Our own wording of the first question"
    assert "--force" in run_command()  # the command says how to replace them anyway

    forced = dict(update_starter_course(force=True).actions)
    assert forced[MODULE_1] == UPDATED and forced[QUIZ_1] == UPDATED
    assert module_one(course).title == read_course_data().modules[0]["title"]


def test_an_edit_after_an_update_is_kept_too():
    # Once the loader has written a record, the record decides (not the earlier releases).
    course = seed_old_site()
    update_starter_course()
    module = module_one(course)
    module.summary = "Our own summary."
    module.save_revision().publish()
    assert dict(update_starter_course().actions)[MODULE_1] == KEPT
    assert module_one(course).summary == "Our own summary."


def test_an_unpublished_draft_is_kept():
    course = seed_old_site()
    module = module_one(course)
    module.title = "A draft an author is still writing"
    module.save_revision()
    assert dict(update_starter_course().actions)[MODULE_1] == KEPT
    assert module_one(course).get_latest_revision_as_object().title == (
        "A draft an author is still writing"
    )


def test_a_fresh_seed_records_what_it_wrote_and_is_already_up_to_date():
    result = update_starter_course()
    assert {action for _key, action in result.actions} == {UNCHANGED}
    assert SeededContent.objects.count() == 14
