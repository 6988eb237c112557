from datetime import timedelta

import pytest
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from accounts.second_factor import give_totp_device
from modules import services
from modules.course_state import cached_course_progress
from modules.models import CourseIndexPage, CoursePage, Enrollment, ModulePage, ModuleProgress
from pdsite.models import HomePage
from tests import factories
from tests.factories import modules_of

pytestmark = pytest.mark.django_db


def test_catalogue_lists_live_courses_and_links_to_them(client, course):
    course.get_parent()  # the catalogue
    response = client.get("/courses/")
    assert response.status_code == 200
    assert course.title in response.text
    assert course.url in response.text


def test_home_page_links_to_the_catalogue(client, course):
    response = client.get("/")
    assert 'href="/courses/"' in response.text


def test_course_page_shows_summary_objectives_time_credit_and_modules(client, course):
    response = client.get(course.url)
    text = response.text
    assert response.status_code == 200
    assert "Why expectations matter." in text
    assert "Explain the opportunity gap." in text
    assert "2 hours" in text  # 120 estimated minutes
    assert "2 hours" in text and "Credit" in text
    for module in modules_of(course):
        assert module.title in text


def test_enrol_button_enrols_once_however_often_it_is_pressed(teacher_client, teacher, course):
    url = course.url + "enroll/"
    first = teacher_client.post(url)
    second = teacher_client.post(url)
    assert first.status_code == second.status_code == 302
    assert Enrollment.objects.filter(user=teacher, course=course).count() == 1


def test_get_on_enrol_changes_nothing(teacher_client, teacher, course):
    response = teacher_client.get(course.url + "enroll/")
    assert response.status_code == 405
    assert not Enrollment.objects.exists()


def test_visitor_opening_a_module_is_sent_to_login_and_back(client, course):
    module = modules_of(course)[0]
    response = client.get(module.url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={module.url}"


def test_teacher_not_enrolled_is_sent_to_the_course_with_a_reason(teacher_client, course):
    module = modules_of(course)[0]
    response = teacher_client.get(module.url, follow=True)
    assert response.redirect_chain[-1][0] == course.url
    assert "Enrol in this course to open its modules." in response.text


def test_enrolled_teacher_reads_the_module(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    response = teacher_client.get(module.url)
    assert response.status_code == 200
    assert "Reading 1." in response.text
    assert "Mark this module complete" in response.text
    assert ModuleProgress.objects.get(user=teacher, module=module).completed_at is None


def test_locked_module_says_which_module_to_finish_first(teacher_client, teacher, catalogue):
    course = factories.course_with_modules(catalogue, modules=3, sequential=True, slug="seq")
    services.enroll(user=teacher, course=course)
    second = modules_of(course)[1]
    response = teacher_client.get(second.url)
    assert response.status_code == 403
    assert "not open yet" in response.text
    assert "Finish “Module 1” first" in response.text


def test_mark_complete_button_completes_and_moves_on(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    first, second, _ = modules_of(course)
    response = teacher_client.post(first.url + "complete/")
    assert response.status_code == 302
    assert response["Location"] == second.url
    assert ModuleProgress.objects.get(user=teacher, module=first).completed_at is not None


def test_get_on_complete_changes_nothing(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    assert teacher_client.get(module.url + "complete/").status_code == 405
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def test_completing_a_module_of_a_course_not_enrolled_in_says_why(teacher_client, course):
    module = modules_of(course)[0]
    response = teacher_client.post(module.url + "complete/", follow=True)
    assert response.status_code == 200
    assert "Enrol" in response.text
    assert not ModuleProgress.objects.exists()


def test_unpublished_module_is_not_found(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    url = module.url
    module.unpublish()
    assert teacher_client.get(url).status_code == 404
    assert teacher_client.post(url + "complete/").status_code == 404


def test_unknown_module_slug_is_not_found(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    assert teacher_client.post(course.url + "no-such-module/complete/").status_code == 404


def test_finishing_the_last_module_shows_the_course_complete(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    for module in modules_of(course):
        response = teacher_client.post(module.url + "complete/", follow=True)
    assert "You have finished the course!" in response.text
    assert "You completed this course on" in response.text


@pytest.mark.parametrize("module_count", [2, 8])
def test_module_page_query_count_does_not_grow_with_modules(
    module_count, teacher_client, teacher, catalogue, django_assert_max_num_queries
):
    course = factories.course_with_modules(catalogue, modules=module_count, slug=f"c{module_count}")
    services.enroll(user=teacher, course=course)
    module = modules_of(course)[-1]
    teacher_client.get(module.url)  # first visit creates the progress row
    # The user, then the teacher's snapshot rebuilt after that write (modules, enrolment,
    # progress); the site, route, view restrictions and course come from the cache.
    with django_assert_max_num_queries(4):
        assert teacher_client.get(module.url).status_code == 200
    # A returning teacher within the minute: the session's user only.
    with django_assert_max_num_queries(1):
        assert teacher_client.get(module.url).status_code == 200


@pytest.mark.parametrize("module_count", [2, 8])
def test_course_page_query_count_does_not_grow_with_modules(
    module_count,
    teacher_client,
    teacher,
    catalogue,
    django_assert_max_num_queries,
    organisation_name_cached,
):
    course = factories.course_with_modules(catalogue, modules=module_count, slug=f"c{module_count}")
    services.enroll(user=teacher, course=course)
    with django_assert_max_num_queries(11):  # the first page after a restart: nothing cached
        assert teacher_client.get(course.url).status_code == 200
    # Returning: the user and the course's approvals (certificates' part of the page).
    with django_assert_max_num_queries(2):
        assert teacher_client.get(course.url).status_code == 200


class TestEditorsBuildTheTree(WagtailPageTestCase):
    # A superuser is a PD administrator: signed in with their second factor.
    client_class = factories.Client

    @staticmethod
    def create_test_user():
        user = WagtailPageTestCase.create_test_user()
        give_totp_device(user, factories.TOTP_SECRET)
        return user

    @classmethod
    def setUpTestData(cls):
        cls.index = factories.site_tree()
        cls.home = cls.index.get_parent().specific
        cls.course = factories.course_with_modules(cls.index, modules=1)

    def setUp(self):
        self.login()

    def test_page_types_fix_their_place_in_the_tree(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedSubpageTypes(ModulePage, {})

    def test_editor_can_create_a_course_and_a_module(self):
        self.assertCanCreate(
            self.index,
            CoursePage,
            nested_form_data(
                {
                    "title": "Families as partners",
                    "slug": "families",
                    "summary": "Working with families.",
                    "objectives": streamfield([("objective", "Plan a home visit.")]),
                    "estimated_minutes": "60",
                    "credit_hours": "1.5",
                    "references": streamfield([]),
                    "quiz_retake_wait_hours": "0",
                    "follow_ups": streamfield([]),
                    "approvals": inline_formset([]),
                }
            ),
        )
        self.assertCanCreate(
            self.course,
            ModulePage,
            nested_form_data(
                {
                    "title": "Home visits",
                    "slug": "home-visits",
                    "summary": "",
                    "estimated_minutes": "20",
                    "required": "on",
                    "body": streamfield([("rich_text", rich_text("<p>Hello</p>"))]),
                    "activity_plan": streamfield([]),
                }
            ),
        )

    def test_editor_tags_a_course_with_topics_the_catalogue_offers(self):
        self.assertCanCreate(
            self.index,
            CoursePage,
            nested_form_data(
                {
                    "title": "Math talk",
                    "slug": "math-talk",
                    "summary": "Talk in math lessons.",
                    "tags": "mathematics, high expectations",
                    "objectives": streamfield([]),
                    "estimated_minutes": "60",
                    "credit_hours": "1",
                    "references": streamfield([]),
                    "quiz_retake_wait_hours": "0",
                    "follow_ups": streamfield([]),
                    "approvals": inline_formset([]),
                }
            ),
        )
        course = CoursePage.objects.get(slug="math-talk")
        assert course.live
        assert sorted(tag.name for tag in course.tags.all()) == ["high expectations", "mathematics"]
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
        assert 'name="tags"' in edit.content.decode()


def test_internal_links_in_the_body_do_not_add_queries_on_repeat_visits(
    teacher_client, teacher, course, django_assert_max_num_queries
):
    services.enroll(user=teacher, course=course)
    first, *others = modules_of(course)
    links = "".join(f'<p><a linktype="page" id="{page.pk}">{page.title}</a></p>' for page in others)
    first.body = [{"type": "rich_text", "value": f"<h2>Links</h2>{links}"}]
    first.save_revision().publish()
    teacher_client.get(first.url)  # renders and caches the body for this revision
    with django_assert_max_num_queries(4):
        response = teacher_client.get(first.url)
    assert f'href="{others[0].url}"' in response.text


def test_a_repeat_visit_does_not_read_the_body_and_a_new_revision_shows_at_once(
    teacher_client, teacher, course
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    module.body = [{"type": "rich_text", "value": "<p>First words for teachers.</p>"}]
    module.save_revision().publish()
    assert "First words for teachers." in teacher_client.get(module.url).text  # cache miss
    with CaptureQueriesContext(connection) as captured:
        assert "First words for teachers." in teacher_client.get(module.url).text
    body_column = '"modules_modulepage"."body"'
    assert not [q for q in captured.captured_queries if body_column in q["sql"]]
    module.body = [{"type": "rich_text", "value": "<p>Second words for teachers.</p>"}]
    module.save_revision().publish()
    text = teacher_client.get(module.url).text
    assert "Second words for teachers." in text and "First words" not in text


def _writes(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_a_repeat_visit_within_a_minute_writes_nothing(teacher_client, teacher, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.enroll(user=teacher, course=course)
    module = modules_of(course)[0]
    teacher_client.get(module.url)  # the first visit writes the progress row
    with CaptureQueriesContext(connection) as captured:
        assert teacher_client.get(module.url).status_code == 200
        assert teacher_client.get(module.url).status_code == 200
    assert _writes(captured) == []


def test_a_visit_a_minute_later_moves_continue_to_that_module(teacher_client, teacher, course):
    import time_machine
    from django.utils import timezone

    services.enroll(user=teacher, course=course)
    first, second, _third = modules_of(course)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        teacher_client.get(first.url)
        teacher_client.get(second.url)
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        teacher_client.get(first.url)  # written again: the last write was over a minute ago
    row = ModuleProgress.objects.get(user=teacher, module=first)
    assert row.last_seen_at == start + timedelta(seconds=61)
    assert cached_course_progress(user=teacher, course=course).resume.module.pk == first.pk
