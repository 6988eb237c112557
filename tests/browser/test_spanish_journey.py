"""The learning loop in Spanish: a teacher switches the interface to Spanish in the header,
signs in, opens a course and a module, answers the quiz and sees their progress, with
Spanish interface text on every page (the course content stays English) and axe clean.
Screenshots of the Spanish pages go to test-artifacts/es/ as well."""

from pathlib import Path

import pytest

from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, check_accessibility
from tests.browser.test_quizzes_journey import answer, setup  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SPANISH_SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "es"


def look(page, name):
    check_accessibility(page, f"es-{name}")
    SPANISH_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SPANISH_SHOTS / f"{name}.png"), full_page=True)


def test_a_teacher_learns_in_spanish_from_switch_to_progress(page, live_server, setup):  # noqa: F811
    course, module, quiz = setup["course"], setup["module"], setup["quiz"]
    teacher = setup["teacher"]
    teacher.full_name = "Rosa Díaz"
    teacher.save()
    page.goto("/courses/")
    assert page.locator("html").get_attribute("lang").startswith("en")
    page.get_by_role("button", name="Español").click()
    page.wait_for_url("**/courses/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("link", name="Cursos", exact=True).is_visible()
    look(page, "01-catalogue")

    page.get_by_role("link", name="Iniciar sesión").click()
    page.locator("#id_login").fill(teacher.email)
    page.locator("#id_password").fill(factories.PASSWORD)
    look(page, "02-sign-in")
    page.locator("form").get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", name="Mi aprendizaje").is_visible()
    assert page.get_by_text("Hola de nuevo, Rosa.").is_visible()
    look(page, "03-dashboard")

    page.get_by_role("link", name=course.title).first.click()
    assert page.get_by_text("0 de 3 módulos completos (0%)").is_visible()
    assert page.get_by_role("heading", name="Módulos", exact=True).is_visible()
    look(page, "04-course")

    page.get_by_role("link", name=module.title).first.click()
    assert page.get_by_text("Módulo 1 de 3").is_visible()
    assert page.get_by_role("heading", name=module.title).is_visible()  # content: English
    assert page.get_by_role("heading", name="Terminar este módulo").is_visible()
    look(page, "05-module-quiz")

    answer(page, quiz, right=True)
    page.get_by_role("button", name="Enviar respuestas").click()
    page.wait_for_url("**#quiz-results")
    assert page.get_by_text("Aprobó el cuestionario. Este módulo está completo.").is_visible()
    assert page.get_by_text("1 de 3 módulos completos (33%)").first.is_visible()
    look(page, "06-quiz-passed")

    page.get_by_role("link", name="Mi aprendizaje").click()
    assert page.get_by_text("1 de 3 módulos completos (33%)").is_visible()
    look(page, "07-dashboard-progress")
    teacher.refresh_from_db()
    assert teacher.language == "es"  # chosen before signing in, kept on the account


def test_the_spanish_header_fits_a_phone(phone, live_server, setup):  # noqa: F811
    setup["teacher"].language = "es"
    setup["teacher"].save()
    phone.goto("/accounts/login/")
    phone.locator("#id_login").fill(setup["teacher"].email)
    phone.locator("#id_password").fill(factories.PASSWORD)
    phone.locator("form").get_by_role("button", name="Sign In").click()
    phone.wait_for_url("**/dashboard/")
    assert phone.get_by_role("heading", name="Mi aprendizaje").is_visible()
    phone.goto(setup["module"].url)
    assert_no_sideways_scroll(phone)
    look(phone, "08-module-phone")
