import pytest
from wagtail.models import Site

from demo.course import ensure_starter_course
from demo.quizzes import attach_quizzes
from modules.models import CourseIndexPage, ModulePage
from pdsite.models import HomePage
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_starter_course_sits_in_the_catalogue_under_the_home_page_at_the_site_root():
    course = ensure_starter_course()
    assert ensure_starter_course().pk == course.pk  # idempotent
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    index = CourseIndexPage.objects.get()
    assert index.get_parent().pk == site.root_page_id
    assert course.get_parent().pk == index.pk and course.live
    assert ModulePage.objects.child_of(course).live().count() == 6


def test_the_starter_course_joins_an_existing_site_tree_and_gets_its_quizzes():
    index = factories.site_tree()
    course = attach_quizzes(ensure_starter_course())
    assert course.get_parent().pk == index.pk
    assert course.self_assessment_id
    assert all(module.quiz_id for module in ModulePage.objects.child_of(course))


def test_the_starter_course_is_featured_on_the_home_page_once(client):
    course = ensure_starter_course()
    ensure_starter_course()
    home = HomePage.objects.get()
    assert [block.value.pk for block in home.featured_courses] == [course.pk]
    assert course.title in client.get("/").text


def test_seeding_adds_a_short_tagged_course_with_quizzes_and_another_credit_type(client):
    from demo.seed import seed

    result = seed()
    short, starter = result["short_course"], result["course"]
    assert short.get_parent().pk == starter.get_parent().pk and short.live
    assert short.credit_hours < starter.credit_hours
    assert short.credit_type_id and short.credit_type_id != starter.credit_type_id
    assert {"mathematics", "high expectations"} <= {t.name for t in short.tags.all()}
    assert "equity" in {t.name for t in starter.tags.all()}
    modules = ModulePage.objects.child_of(short).live()
    assert modules.count() == 2 and all(module.quiz_id for module in modules)
    response = client.get("/courses/")
    assert short.title in response.text and starter.title in response.text
