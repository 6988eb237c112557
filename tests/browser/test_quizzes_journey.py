import pytest

from modules import services as progress_services
from quizzes.grading import quiz_questions
from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, check_accessibility

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REFLECTION = "I will check in with three quiet students every Monday and note what I learn."


@pytest.fixture
def setup(transactional_db):
    index = factories.site_tree()
    course = factories.course_with_modules(index, modules=3, slug="equity")
    module = course.get_children().specific().order_by("path").first()
    quiz = factories.quiz(pass_mark=100)
    factories.attach_quiz(module, quiz)
    teacher = factories.teacher()
    progress_services.enroll(user=teacher, course=course)
    return {"course": course, "module": module, "quiz": quiz, "teacher": teacher}


def sign_in(page, teacher):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(teacher.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def answer(page, quiz, *, right: bool, reflection: str = REFLECTION):
    single, several, agreement, reflection_q = quiz_questions(quiz)
    for question in (single, several):
        for choice in question.choices:
            box = page.locator(f"#q-{question.id}-{choice.id}")
            if choice.correct == right:
                box.check()
            elif question.several_correct:
                box.uncheck()
    page.locator(f"#q-{agreement.id}-4").check()
    page.locator(f"#q-{reflection_q.id}").fill(reflection)


def test_teacher_fails_reads_feedback_retakes_passes_and_completes(page, live_server, setup):
    quiz, module, course = setup["quiz"], setup["module"], setup["course"]
    sign_in(page, setup["teacher"])
    page.goto(module.url + "#quiz")
    assert page.get_by_text("0 of 3 modules complete (0%)").is_visible()
    assert page.get_by_role("button", name="Mark this module complete").count() == 0
    check_accessibility(page, "quiz-01-form")

    # Submitting with a too-short reflection keeps everything typed and marks the problem.
    answer(page, quiz, right=False, reflection="Too short")
    page.get_by_role("button", name="Submit answers").click()
    assert page.get_by_text("Your answers have not been submitted yet").is_visible()
    reflection_q = quiz_questions(quiz)[3]
    textarea = page.locator(f"#q-{reflection_q.id}")
    assert textarea.input_value() == "Too short"
    assert page.get_by_text("Words so far: 2").is_visible()
    assert textarea.get_attribute("aria-invalid") == "true"
    assert page.get_by_text("Please write at least 5 words (you have 2).").first.is_visible()
    check_accessibility(page, "quiz-02-errors")

    # Wrong answers: not passed, feedback for what was picked, what to revisit.
    textarea.fill(REFLECTION)
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url("**#quiz-results")
    assert page.get_by_text("Not passed yet. Read the feedback, then try again.").is_visible()
    assert page.get_by_text("The research points the other way.").is_visible()
    assert page.get_by_role("heading", name="What to revisit").is_visible()
    check_accessibility(page, "quiz-03-failed-results")

    # Retake and pass: the module completes and the progress bar moves.
    answer(page, quiz, right=True)
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url("**#quiz-results")
    assert page.get_by_text("You passed the quiz. This module is complete.").is_visible()
    assert page.get_by_text("2 of 2 correct (100%)").is_visible()
    assert page.get_by_text("1 of 3 modules complete (33%)").is_visible()
    assert page.locator("progress").get_attribute("value") == "33"
    check_accessibility(page, "quiz-04-passed-results")

    page.goto(course.url)
    assert page.locator(".module-list__item--complete").count() == 1

    page.goto("/reflections/")
    assert page.get_by_text(REFLECTION).first.is_visible()
    check_accessibility(page, "quiz-05-reflections")


def test_quiz_and_results_read_well_on_a_phone(phone, live_server, setup):
    sign_in(phone, setup["teacher"])
    phone.goto(setup["module"].url + "#quiz")
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "quiz-06-phone")
    answer(phone, setup["quiz"], right=False)
    phone.get_by_role("button", name="Submit answers").click()
    phone.wait_for_url("**#quiz-results")
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "quiz-06b-phone-results")


def test_self_assessment_before_and_after(page, live_server, setup):
    course, teacher = setup["course"], setup["teacher"]
    sa = factories.self_assessment()
    course.self_assessment = sa
    course.save(update_fields=["self_assessment"])
    sign_in(page, teacher)
    page.goto(course.url)
    page.get_by_role("link", name="Start the self-assessment").click()
    check_accessibility(page, "quiz-07-self-assessment-pre")
    for question in quiz_questions(sa):
        page.locator(f"#q-{question.id}-2").check()
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(f"**{setup['module'].url}#main")
    for module in course.get_children().specific():
        progress_services.mark_module_complete(user=teacher, module=module, course=course)
    page.goto(course.url)
    page.get_by_role("link", name="Take the closing self-assessment").click()
    for question in quiz_questions(sa):
        page.locator(f"#q-{question.id}-5").check()
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url("**#self-assessment")
    assert page.get_by_role("heading", name="Where you started and where you ended").is_visible()
    check_accessibility(page, "quiz-08-self-assessment-comparison")


def test_before_and_after_comparison_fits_a_phone(phone, live_server, setup):
    import uuid

    from quizzes import services as quiz_services
    from quizzes.models import AttemptKind

    course, teacher = setup["course"], setup["teacher"]
    sa = factories.self_assessment(
        statements=(
            "I believe every student I teach can reach grade-level standards with support.",
            "I treat families as partners and contact them to share good news.",
        )
    )
    course.self_assessment = sa
    course.save(update_fields=["self_assessment"])
    for kind, value in ((AttemptKind.PRE, "2"), (AttemptKind.POST, "5")):
        if kind == AttemptKind.POST:
            for module in course.get_children().specific():
                progress_services.mark_module_complete(user=teacher, module=module, course=course)
        quiz_services.submit_attempt(
            user=teacher,
            quiz=sa,
            kind=kind,
            course=course,
            answers={q.id: [value] for q in quiz_questions(sa)},
            idempotency_key=uuid.uuid4(),
        )
    sign_in(phone, teacher)
    phone.goto(course.url + "#self-assessment")
    assert phone.get_by_role("heading", name="Where you started and where you ended").is_visible()
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "quiz-09-comparison-phone")


def test_a_long_reflection_history_pages_newest_first(page, phone, live_server, setup):
    import uuid

    from quizzes import services
    from quizzes.selectors import REFLECTIONS_PER_PAGE

    quiz, module, teacher = setup["quiz"], setup["module"], setup["teacher"]
    for number in range(REFLECTIONS_PER_PAGE + 4):
        services.submit_attempt(
            user=teacher,
            quiz=quiz,
            module=module,
            answers=factories.wrong_answers(quiz, text=f"Week {number + 1}: {REFLECTION}"),
            idempotency_key=uuid.uuid4(),
        )
    sign_in(page, teacher)
    page.goto("/reflections/")
    assert page.get_by_text("Page 1 of 2").is_visible()
    page.get_by_role("link", name="Older reflections").click()
    page.wait_for_url("**/reflections/?page=2")
    # the four oldest, the newest of them open to read, the rest a click away
    assert page.get_by_text("Week 4: I will check in").first.is_visible()
    assert page.locator("details.reflection-attempt").count() == 4
    assert page.get_by_text("Latest attempt").count() == 0
    assert page.get_by_role("link", name="Newer reflections").is_visible()
    check_accessibility(page, "quiz-10-reflections-page-2")
    sign_in(phone, teacher)
    phone.goto("/reflections/?page=2")
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "quiz-11-reflections-page-2-phone")
