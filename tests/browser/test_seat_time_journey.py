"""Honest seat time end to end: the module page's script counts a teacher's active time and
sends it when the page is hidden; a PD administrator then reads every report (axe clean)."""

from pathlib import Path

import pytest

from modules import services as progress
from modules.models import ActiveTime
from tests import factories
from tests.browser.conftest import check_accessibility, start_signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "16"
REPORTS = {
    "credit": "Completions and credit hours",
    "rates": "Completion and implementation rates",
    "beliefs": "Belief change (self-assessment)",
    "seat-time": "Seat time versus estimate",
}


def _pd_admin():
    # Earlier transactional tests flush the migration-made group permissions; restore the one
    # the Wagtail admin checks, as the roles migration grants it (test_certificates_journey).
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    admin = factories.pd_admin(full_name="Alex Morgan")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access admin"}
    )
    admin.groups.get().permissions.add(access)
    return admin


def hide_the_page(page) -> None:
    """The tab goes to the background: the document says it is hidden and tells its
    listeners, as a browser does when the teacher switches tabs or locks the phone."""
    page.evaluate(
        """() => {
            Object.defineProperty(document, "visibilityState", {
                configurable: true, get: () => "hidden" });
            document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )


def test_a_teachers_active_time_is_recorded_and_a_pd_admin_reads_the_reports(browser, page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    index = factories.site_tree()
    course = factories.course_with_modules(index, modules=2, slug="equity")
    teacher = factories.teacher(full_name="Rosa Diaz", email="rosa@example.org")
    progress.enroll(user=teacher, course=course)
    module = course.get_children().first().specific
    # A second course with a few months' worth of teachers, so every report has rows to draw.
    factories.report_world(
        factories.course_with_modules(index, modules=3, slug="families"), teachers=8
    )

    # The teacher's clock is Playwright's: minutes of reading pass without waiting for them.
    page.clock.install()
    start_signed_in(page, teacher)
    page.goto(module.url)
    page.mouse.move(200, 300)
    page.mouse.wheel(0, 400)
    page.keyboard.press("End")
    page.clock.run_for(20_000)  # twenty seconds of reading, in use
    page.mouse.move(220, 320)
    with page.expect_response(lambda response: "/active-time/" in response.url) as sent:
        hide_the_page(page)
    assert sent.value.status == 204
    row = ActiveTime.objects.get(user=teacher, module=module)
    # Counted, and never more than the real time the page has been open (the server's cap:
    # the browser's clock claimed twenty seconds).
    assert 0 < row.active_ms <= 20_000

    page.goto(module.url)
    assert page.get_by_text("Your active time on this module:").is_visible()
    page.screenshot(path=str(ARTIFACTS / "teacher-module-active-time.png"), full_page=True)
    check_accessibility(page, "seat-time-module-page")

    admin_page = browser.new_context(
        base_url=page.url.split("/courses/")[0], viewport={"width": 1280, "height": 900}
    ).new_page()
    start_signed_in(admin_page, _pd_admin())
    admin_page.goto("/admin/")
    admin_page.get_by_role("link", name="PD reports").click()
    admin_page.wait_for_url("**/admin/reports/")
    for slug, title in REPORTS.items():
        admin_page.goto(f"/admin/reports/{slug}/")
        assert admin_page.get_by_role("heading", name=title, level=2).is_visible()
        admin_page.screenshot(path=str(ARTIFACTS / f"report-{slug}.png"), full_page=True)
        check_accessibility(admin_page, f"report-{slug}")
    table = admin_page.locator("[data-report-table='seat-time']")
    assert module.title in table.inner_text()

    # A year-long course arrives. The seat-time figures were counted on the visit above and
    # are kept: the administrator counts again, and the longer table comes a page at a time.
    factories.course_with_modules(index, modules=25, slug="year-long")
    admin_page.goto("/admin/reports/seat-time/")
    assert admin_page.get_by_text("These figures were counted on").is_visible()
    assert "Course year-long" not in table.inner_text()
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="Count again").click()
    assert admin_page.get_by_text("Page 1 of 2").is_visible()
    assert table.locator("tbody tr").count() == 25
    admin_page.get_by_role("link", name="Next").click()
    admin_page.wait_for_url("**/admin/reports/seat-time/?p=2")
    first_cells = table.locator("tbody tr td:first-child").all_inner_texts()
    assert first_cells == [str(n) for n in range(26, 31)]
    assert "Course year-long" in table.inner_text()
    # The chart draws the same rows, numbered as the table numbers them.
    bars = admin_page.locator("[data-chart='bars'] .chart__row")
    assert [bars.nth(i).get_attribute("data-number") for i in range(bars.count())] == first_cells
    admin_page.screenshot(path=str(ARTIFACTS / "report-seat-time-page-2.png"), full_page=True)
    # The admin's page scrolls inside its own pane: the page links get a picture of their own.
    admin_page.locator("nav.pagination").screenshot(
        path=str(ARTIFACTS / "report-seat-time-page-links.png")
    )
    check_accessibility(admin_page, "report-seat-time-page-2")

    admin_page.goto("/admin/reports/seat-time/?date_from=2026-05-01&date_to=2026-04-01")
    assert admin_page.get_by_text("is after the end date").is_visible()
    admin_page.screenshot(path=str(ARTIFACTS / "report-impossible-dates.png"), full_page=True)
    check_accessibility(admin_page, "report-impossible-dates")
