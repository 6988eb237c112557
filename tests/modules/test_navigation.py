"""Module navigation: Previous/Next in course order, skipping locked modules and saying why;
the module list beside a module; "Continue where you left off"."""

import pytest
from bs4 import BeautifulSoup

from modules import services
from modules.enums import ModuleState
from modules.selectors import CourseProgress, ModuleStatus, course_progress, module_pager
from tests import factories
from tests.factories import modules_of

pytestmark = pytest.mark.django_db


def _pager(html: str):
    soup = BeautifulSoup(html, "html.parser")
    nav = soup.find("nav", attrs={"aria-label": "Previous and next module"})
    prev = nav.find("a", rel="prev")
    nxt = nav.find("a", rel="next")
    notes = [" ".join(p.get_text().split()) for p in soup.select(".pager__note")]
    return (
        prev["href"] if prev else None,
        nxt["href"] if nxt else None,
        notes,
    )


def _sidebar(html: str):
    """(text, link or None, state, current) for each row of the module list."""
    soup = BeautifulSoup(html, "html.parser")
    rows = []
    for item in soup.select(".module-nav__item"):
        title = item.select_one(".module-nav__title")
        rows.append(
            (
                title.get_text(strip=True),
                title.get("href"),
                item.select_one(".module-nav__state").get_text(strip=True),
                title.get("aria-current") == "page",
            )
        )
    return rows


def test_next_on_a_finished_course_is_the_following_module_not_the_first(
    teacher_client, teacher, catalogue
):
    course = factories.course_with_modules(catalogue, modules=5, slug="done")
    services.enroll(user=teacher, course=course)
    modules = modules_of(course)
    for module in modules:
        services.complete_module(user=teacher, module=module)
    response = teacher_client.get(modules[2].url)
    assert _pager(response.text) == (modules[1].url, modules[3].url, [])


def test_the_first_module_leads_back_to_the_overview_and_the_last_says_it_is_last(
    teacher_client, teacher, course
):
    services.enroll(user=teacher, course=course)
    first, _second, last = modules_of(course)
    first_page = teacher_client.get(first.url).text
    assert _pager(first_page)[0] is None
    assert "Course overview" in first_page
    last_page = teacher_client.get(last.url).text
    assert _pager(last_page)[1] is None
    assert "Last module: back to the course overview" in last_page


def test_a_free_course_lets_a_teacher_move_on_before_finishing(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    first, second, _third = modules_of(course)
    assert _pager(teacher_client.get(first.url).text) == (None, second.url, [])


def test_sequential_course_next_skips_locked_modules_and_says_why(
    teacher_client, teacher, catalogue
):
    course = factories.course_with_modules(catalogue, modules=4, sequential=True, slug="seq")
    services.enroll(user=teacher, course=course)
    first, second, _third, _fourth = modules_of(course)
    services.complete_module(user=teacher, module=first)
    previous, following, notes = _pager(teacher_client.get(second.url).text)
    assert (previous, following) == (first.url, None)
    assert notes == ["Module 3, “Module 3”, opens once you finish this module."]


def test_sequential_course_names_the_module_that_holds_the_rest_back(teacher, catalogue):
    # An optional module 2 opens at once, but module 3 waits for module 1 (required).
    course = factories.course_with_modules(
        catalogue, modules=3, sequential=True, optional=(2,), slug="opt"
    )
    services.enroll(user=teacher, course=course)
    progress = course_progress(user=teacher, course=course)
    first, second, third = progress.modules
    assert [s.locked for s in progress.modules] == [False, True, True]
    assert second.locked_by is first and third.locked_by is first
    pager = module_pager(progress, first)
    assert pager.next is None and pager.skipped == [second]


def test_next_skips_locked_modules_to_reach_an_open_one_after_them(catalogue):
    # Before the opening self-assessment only finished modules stay open: from module 1,
    # Next passes over module 2 (locked) to module 3 (finished) and says why.
    course = factories.course_with_modules(catalogue, modules=3, slug="pre")
    statuses = [
        ModuleStatus(module=module, number=n, state=state, locked=locked)
        for n, (module, state, locked) in enumerate(
            zip(
                modules_of(course),
                [ModuleState.COMPLETE, ModuleState.NOT_STARTED, ModuleState.COMPLETE],
                [False, True, False],
                strict=True,
            ),
            start=1,
        )
    ]
    statuses[1].locked_reason = "pre_assessment"
    progress = CourseProgress(course=course, enrollment=None, modules=statuses)
    pager = module_pager(progress, statuses[0])
    assert (pager.previous, pager.next, pager.skipped) == (None, statuses[2], [statuses[1]])
    assert module_pager(progress, statuses[2]).previous is statuses[0]


def test_the_module_list_shows_each_modules_state_and_links_only_open_ones(
    teacher_client, teacher, catalogue
):
    course = factories.course_with_modules(catalogue, modules=3, sequential=True, slug="seq")
    services.enroll(user=teacher, course=course)
    first, second, third = modules_of(course)
    services.complete_module(user=teacher, module=first)
    assert _sidebar(teacher_client.get(second.url).text) == [
        ("1. Module 1", first.url, "Complete", False),
        ("2. Module 2", None, "In progress", True),
        ("3. Module 3", None, "Locked", False),
    ]


def test_the_module_list_and_the_course_page_agree_on_states(teacher_client, teacher, course):
    services.enroll(user=teacher, course=course)
    first, second, third = modules_of(course)
    services.complete_module(user=teacher, module=first)
    services.record_module_visit(user=teacher, module=second, course=course)
    sidebar_states = [row[2] for row in _sidebar(teacher_client.get(third.url).text)]
    course_page = BeautifulSoup(teacher_client.get(course.url).text, "html.parser")
    course_states = [b.get_text(strip=True) for b in course_page.select(".module-list .badge")]
    # Opening module 3 started it: its own list says so at once, as the course page does.
    assert sidebar_states == course_states == ["Complete", "In progress", "In progress"]


def test_continue_where_you_left_off_on_the_dashboard_and_the_course_page(
    teacher_client, teacher, course
):
    services.enroll(user=teacher, course=course)
    first, second, _third = modules_of(course)
    services.complete_module(user=teacher, module=first)
    services.record_module_visit(user=teacher, module=second, course=course)
    for url in ("/dashboard/", course.url):
        link = BeautifulSoup(teacher_client.get(url).text, "html.parser").select_one(".continue a")
        assert link["href"] == second.url
        assert link.get_text(strip=True).startswith("Continue where you left off")


def test_a_module_not_yet_opened_is_offered_as_continue_without_left_off(
    teacher_client, teacher, course
):
    services.enroll(user=teacher, course=course)
    link = BeautifulSoup(teacher_client.get(course.url).text, "html.parser").select_one(
        ".continue a"
    )
    assert link["href"] == modules_of(course)[0].url
    assert link.get_text(strip=True).startswith("Continue:")
