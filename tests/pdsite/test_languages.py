"""The interface language: the header's switcher (Django's set_language, through
pdsite.languages), the choice saved on the account and applied at the next sign-in, and the
browser's Accept-Language for everyone who has not chosen."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format, number_format

from coaching.forms import AssignCourseForm
from tests import factories

pytestmark = pytest.mark.django_db


def switch(client, language, next_url="/courses/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


def test_the_header_offers_spanish_as_a_post_form_named_in_spanish(client, catalogue):
    html = client.get("/courses/").content.decode()
    assert '<form method="post" action="/i18n/setlang/"' in html
    assert 'name="language" value="es" lang="es"' in html
    assert ">Español</button>" in html


def test_a_visitor_who_switches_reads_spanish_and_is_sent_back(client, catalogue):
    response = switch(client, "es")
    assert response.status_code == 302 and response["Location"] == "/courses/"
    html = client.get("/courses/").content.decode()
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html and ">Sign in<" not in html
    assert ">English</button>" in html  # the way back, named in English


def test_a_visitor_who_has_not_chosen_gets_their_browsers_language(client, catalogue):
    html = client.get("/courses/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").content.decode()
    assert "Registrarse" in html
    assert "Sign up" in Client().get("/courses/").content.decode()


def test_a_signed_in_teachers_choice_is_saved_on_their_account(teacher_client, teacher):
    switch(teacher_client, "es")
    teacher.refresh_from_db()
    assert teacher.language == "es"
    switch(teacher_client, "en")
    teacher.refresh_from_db()
    assert teacher.language == "en"


def test_a_language_the_site_does_not_speak_is_not_saved(teacher_client, teacher):
    switch(teacher_client, "xx")
    teacher.refresh_from_db()
    assert teacher.language == ""
    assert "My learning" in teacher_client.get("/dashboard/").content.decode()


def test_the_choice_comes_back_at_the_next_sign_in_on_another_browser(catalogue):
    teacher = factories.teacher(full_name="Rosa Díaz")
    first = Client()
    first.post("/accounts/login/", {"login": teacher.email, "password": factories.PASSWORD})
    switch(first, "es")
    first.post("/accounts/logout/")

    # A browser with no language cookie, whose Accept-Language asks for English.
    other = Client(HTTP_ACCEPT_LANGUAGE="en-US")
    other.post("/accounts/login/", {"login": teacher.email, "password": factories.PASSWORD})
    response = other.get("/dashboard/")
    html = response.content.decode()
    assert "Hola de nuevo, Rosa." in html
    assert "Mi aprendizaje" in html
    # The cookie follows, so the pages after signing out stay in Spanish on this browser too.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    other.post("/accounts/logout/")
    assert "Iniciar sesión" in other.get("/courses/").content.decode()


def test_a_saved_choice_wins_over_the_cookie_of_the_browser(client, catalogue):
    teacher = factories.teacher(language="es")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(teacher)
    assert "Mi aprendizaje" in client.get("/dashboard/").content.decode()


def test_course_content_stays_english_in_the_spanish_interface(client, course):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(course.url).content.decode()
    assert f"<h1>{course.title}</h1>" in html
    assert "Lo que podrá hacer" in html
    assert "Explain the opportunity gap." in html


def test_a_language_chosen_before_signing_in_is_kept_on_an_account_without_one(catalogue):
    teacher = factories.teacher()
    browser = Client()
    switch(browser, "es", next_url="/accounts/login/")
    browser.post("/accounts/login/", {"login": teacher.email, "password": factories.PASSWORD})
    teacher.refresh_from_db()
    assert teacher.language == "es"


def test_signing_in_from_a_spanish_browser_keeps_an_earlier_english_choice(catalogue):
    teacher = factories.teacher(language="en")
    browser = Client()
    switch(browser, "es", next_url="/accounts/login/")
    browser.post("/accounts/login/", {"login": teacher.email, "password": factories.PASSWORD})
    teacher.refresh_from_db()
    assert teacher.language == "en"
    assert "My learning" in browser.get("/dashboard/").content.decode()


def test_spanish_dates_are_spelled_out_and_numbers_read_as_in_us_spanish():
    with translation.override("es"):
        assert date_format(datetime.date(2026, 12, 15)) == "15 de diciembre de 2026"
        # Not 15/12/2026, which a US reader could take for a month-first date.
        assert date_format(datetime.date(2026, 1, 12), "SHORT_DATE_FORMAT") == "12 ene 2026"
        assert number_format(1234.5, 1, force_grouping=True) == "1,234.5"
    with translation.override("en"):
        assert date_format(datetime.date(2026, 12, 15)) == "Dec. 15, 2026"


def test_a_date_field_keeps_its_iso_value_in_spanish():
    # <input type="date"> takes only YYYY-MM-DD; a Spanish "15/12/2026" would show as empty.
    form = AssignCourseForm(initial={"due_on": datetime.date(2026, 12, 15)})
    with translation.override("es"):
        assert 'value="2026-12-15"' in str(form["due_on"])


def test_allauth_emails_follow_the_accounts_saved_language(client, catalogue, mailoutbox):
    # Asked for from an English page, the reset link reaches a Spanish-speaking teacher in
    # Spanish (allauth brings the words; the adapter picks the language).
    teacher = factories.teacher(language="es")
    client.post("/accounts/password/reset/", {"email": teacher.email})
    [message] = mailoutbox
    assert "contraseña" in message.subject.lower()
    assert "password" not in message.body.lower().replace("/password/", "")
