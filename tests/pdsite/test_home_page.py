"""The home page an editor builds in Wagtail: hero, featured courses, how credit works, the
certificate check, and a signed-in teacher's next step."""

import datetime

import pytest
from bs4 import BeautifulSoup

from coaching import services as coaching
from modules import services
from pdsite.models import CREDIT_HEADING, HomePage
from tests import factories
from tests.factories import modules_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(catalogue):
    return HomePage.objects.get()


def _soup(response):
    return BeautifulSoup(response.text, "html.parser")


def test_a_new_home_page_explains_credit_and_offers_the_certificate_check(client, home):
    page = _soup(client.get("/"))
    assert page.find("h2", string=CREDIT_HEADING)
    form = page.select_one(".home-verify form")
    assert form["method"] == "get" and form["action"] == "/verify/"
    assert form.find("input", attrs={"name": "code"})


def test_the_verify_box_leads_to_the_codes_page(client, home):
    response = client.get("/verify/", {"code": "7kqm 3xrt 9pwd hc4n 2veb"})
    assert response.status_code == 302
    assert response["Location"] == "/verify/7KQM-3XRT-9PWD-HC4N-2VEB/"


def test_the_editor_chooses_and_orders_the_featured_courses(client, home, catalogue):
    first = factories.course_with_modules(catalogue, slug="first")
    second = factories.course_with_modules(catalogue, slug="second")
    hidden = factories.course_with_modules(catalogue, slug="hidden")
    home.featured_courses = [("course", second), ("course", first), ("course", hidden)]
    home.save_revision().publish()
    hidden.unpublish()
    titles = [h.get_text(strip=True) for h in _soup(client.get("/")).select(".card-list h3")]
    assert titles == [second.title, first.title]


def test_an_editor_changes_the_credit_and_verify_text(client, home):
    home.credit_heading = "Earning hours"
    home.credit_body = "<p>Finish every module.</p>"
    home.verify_heading = "Is it genuine?"
    home.save_revision().publish()
    text = client.get("/").text
    assert "Earning hours" in text and "Finish every module." in text
    assert "Is it genuine?" in text and CREDIT_HEADING not in text


def test_a_signed_in_teacher_sees_where_to_continue(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    first, second, _third = modules_of(course)
    services.complete_module(user=teacher, module=first)
    services.record_module_visit(user=teacher, module=second, course=course)
    step = _soup(teacher_client.get("/")).select_one(".home-next")
    link = step.select_one(".continue a")
    assert link["href"] == second.url
    assert "Continue where you left off" in link.get_text()
    assert "Module 2: Module 2" in step.get_text()


def test_a_teacher_sees_how_many_courses_are_assigned_and_when_the_next_is_due(
    teacher_client, teacher, catalogue, course
):
    coach = factories.coach()
    other = factories.course_with_modules(catalogue, slug="other")
    friday = datetime.date(2030, 1, 4)  # a Friday
    coaching.assign_course(course=course, user=teacher, due_on=friday, assigned_by=coach)
    coaching.assign_course(
        course=other, user=teacher, due_on=datetime.date(2030, 2, 1), assigned_by=coach
    )
    text = " ".join(_soup(teacher_client.get("/")).select_one(".home-next").get_text().split())
    assert "2 courses assigned to you, the next one due Friday, Jan. 4, 2030." in text


def test_visitors_see_no_next_step(client, home):
    assert not _soup(client.get("/")).select(".home-next")


def test_the_home_page_query_count_does_not_grow_with_courses(
    teacher_client, teacher, catalogue, home, django_assert_max_num_queries
):
    for number in range(4):
        course = factories.course_with_modules(catalogue, slug=f"c{number}")
        services.enroll(user=teacher, course=course)
        home.featured_courses.append(("course", course))
    home.save_revision().publish()
    teacher_client.get("/")
    with django_assert_max_num_queries(14):
        assert teacher_client.get("/").status_code == 200


def test_the_home_page_editor_shows_every_section(client, home):
    admin = factories.pd_admin(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(f"/admin/pages/{home.pk}/edit/")
    assert response.status_code == 200
    for label in ("Featured courses", "Credit heading", "How credit works", "Verification text"):
        assert label in response.text
