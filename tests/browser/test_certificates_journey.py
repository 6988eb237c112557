import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from certificates.models import Certificate, CourseApproval
from tests import factories
from tests.browser.conftest import (
    SCREENSHOTS,
    assert_no_sideways_scroll,
    check_accessibility,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def credit_course(transactional_db):
    index = factories.site_tree()
    course = factories.course_with_modules(index, modules=2, slug="equity")
    course.credit_type = factories.credit_type()
    course.credit_hours = 6
    course.save()
    CourseApproval.objects.create(
        course=course, agency="Texas Education Agency", approval_number="TEA-902-114"
    )
    return course


def save_png_of(pdf: bytes, name: str) -> None:
    """Keep the PDF and a PNG of it beside the screenshots, for a person to look at."""
    if not shutil.which("pdftoppm"):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf_path = SCREENSHOTS / f"{name}.pdf"
    pdf_path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf_path), str(SCREENSHOTS / name)],
        check=True,
    )


def test_teacher_finishes_a_course_downloads_the_certificate_and_anyone_verifies_it(
    browser, page, live_server, credit_course
):
    teacher = factories.teacher(full_name="Maya Chen")
    sign_in(page, teacher)
    page.goto(credit_course.url)
    assert page.get_by_text("TEA-902-114").is_visible()
    page.get_by_role("button", name="Enrol in this course").click()
    page.wait_for_url("**/module-1/")
    page.get_by_role("button", name="Mark this module complete").click()
    page.wait_for_url("**/module-2/")
    page.get_by_role("button", name="Mark this module complete").click()

    page.goto("/dashboard/")
    download = page.get_by_role("link", name=re.compile("Download certificate"))
    assert download.is_visible()
    check_accessibility(page, "cert-01-dashboard-with-certificate")

    response = page.request.get(download.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    save_png_of(pdf, "cert-02-certificate-pdf")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\n", "")
    certificate = Certificate.objects.get(user=teacher)
    verify_url = re.search(r"http://testserver(/verify/[A-Z0-9-]+/)", text).group(1)
    assert verify_url == f"/verify/{certificate.code}/"

    page.goto("/transcript/")
    assert page.get_by_text("6 hours").first.is_visible()
    check_accessibility(page, "cert-03-transcript")

    # Anyone, signed out, from the URL printed under the QR code.
    stranger = browser.new_context(base_url=live_server.url)
    public = stranger.new_page()
    public.goto(verify_url)
    assert public.get_by_text("Valid:").is_visible()
    assert public.get_by_text("Maya Chen").is_visible()
    assert public.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    check_accessibility(public, "cert-04-verify-signed-out")
    public.goto("/verify/")
    public.get_by_label("Certificate code").fill(certificate.code.replace("-", " ").lower())
    public.get_by_role("button", name="Check this code").click()
    public.wait_for_url(f"**{verify_url}")
    public.goto("/verify/AAAA-BBBB-CCCC-DDDD-EEEE/")
    assert public.get_by_role("heading", name="We could not find that certificate").is_visible()
    check_accessibility(public, "cert-05-verify-unknown")
    stranger.close()


def test_verify_and_transcript_read_well_on_a_phone(phone, live_server, credit_course):
    teacher = factories.teacher(full_name="Maya Chen-Okonkwo de la Fuente")
    certificate = factories.certificate(credit_course, user=teacher)
    phone.goto(f"/verify/{certificate.code}/")
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "cert-06-verify-phone")
    sign_in(phone, teacher)
    assert_no_sideways_scroll(phone)
    phone.goto("/transcript/")
    assert_no_sideways_scroll(phone)
    check_accessibility(phone, "cert-07-transcript-phone")


def test_pd_admin_approves_from_the_queue_and_sees_the_result(page, live_server, credit_course):
    from certificates import services

    credit_course.requires_approval = True
    credit_course.save()
    for name in ("Priya Shah", "Omar Haddad"):
        enrollment = factories.completed_enrollment(
            credit_course, user=factories.teacher(full_name=name)
        )
        services.request_credit(enrollment=enrollment)
    admin = factories.pd_admin(full_name="Alex Morgan")
    # Earlier transactional tests flush the migration-made group permissions; restore the one
    # the Wagtail admin checks, as the roles migration grants it to PD administrators.
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access admin"}
    )
    admin.groups.get().permissions.add(access)
    sign_in(page, admin)
    page.goto("/admin/pd-credit/queue/")
    page.get_by_label("Select Priya Shah").check()
    page.get_by_label("Select Omar Haddad").check()
    page.screenshot(path=str(SCREENSHOTS / "cert-08-admin-queue.png"), full_page=True)
    page.get_by_role("button", name="Approve selected and issue certificates").click()
    page.wait_for_url("**/pd-credit/queue/result/**")
    assert page.get_by_text("Issued 2, failed 0").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "cert-09-admin-result.png"), full_page=True)
    certificate = Certificate.objects.get(user__full_name="Priya Shah")
    page.goto(f"/admin/pd-credit/certificates/{certificate.pk}/")
    page.screenshot(path=str(SCREENSHOTS / "cert-10-admin-certificate.png"), full_page=True)
    assert Certificate.objects.count() == 2


@pytest.mark.urls("tests.certificates.media_urls")  # MEDIA_ROOT served, as a web server does
def test_the_pdf_is_the_owners_and_no_media_url_serves_it(
    browser, page, live_server, credit_course, settings, tmp_path
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    factories.files_on_disk(settings, tmp_path)
    default_storage.save("images/logo.png", ContentFile(b"public image"))
    teacher = factories.teacher(full_name="Maya Chen")
    certificate = factories.certificate(credit_course, user=teacher)
    sign_in(page, teacher)
    href = page.get_by_role("link", name=re.compile("Download certificate")).get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.body().startswith(b"%PDF")
    assert "no-store" in response.headers["cache-control"]
    certificate.refresh_from_db()

    stranger = browser.new_context(base_url=live_server.url)
    public = stranger.new_page()
    assert public.goto("/media/images/logo.png").status == 200  # media files are served here
    for path in (
        href,
        f"/media/{certificate.pdf.name}",
        f"/media/certificates/certificate-{certificate.code}.pdf",
    ):
        assert public.goto(path).status == 404, path
    stranger.close()
