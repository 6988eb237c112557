import csv
import io
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from certificates import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owned(credit_course):
    """Two teachers' certificates, the other one created first so a leak would show."""
    other = factories.certificate(credit_course, user=factories.teacher(full_name="Other Person"))
    mine = factories.certificate(credit_course, user=factories.teacher(full_name="Maya Chen"))
    return mine, other


def pdf_url(certificate):
    return reverse("certificates:pdf", args=[certificate.pk])


# --- who may download a PDF ---------------------------------------------------------


def test_the_owner_downloads_their_certificate_as_pdf(client, owned):
    mine, _other = owned
    client.force_login(mine.user)
    response = client.get(pdf_url(mine))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_download_before_the_background_render_renders_on_the_spot(client, owned):
    mine, _other = owned
    assert not mine.pdf  # the render task runs on commit, which this test never reaches
    client.force_login(mine.user)
    assert client.get(pdf_url(mine)).status_code == 200
    mine.refresh_from_db()
    assert mine.pdf.name.endswith(".pdf")


def test_another_teacher_gets_404_as_for_a_missing_certificate(client, owned):
    mine, other = owned
    client.force_login(mine.user)
    assert client.get(pdf_url(other)).status_code == 404
    assert client.get(reverse("certificates:pdf", args=[uuid.uuid4()])).status_code == 404


def test_a_coach_who_does_not_coach_the_teacher_gets_404(client, owned):
    mine, _other = owned
    client.force_login(factories.coach())
    assert client.get(pdf_url(mine)).status_code == 404


def test_the_teachers_coach_downloads_the_pdf_but_not_other_teachers(client, owned):
    mine, other = owned
    their_coach = factories.coach()
    factories.cohort(coaches=[factories.coach()], members=[other.user], name="Other cohort")
    factories.cohort(coaches=[their_coach], members=[mine.user])
    client.force_login(their_coach)
    assert client.get(pdf_url(mine)).status_code == 200
    assert client.get(pdf_url(other)).status_code == 404


def test_a_pd_admin_downloads_any_certificate(client, owned):
    mine, _other = owned
    client.force_login(factories.pd_admin())
    assert client.get(pdf_url(mine)).status_code == 200


def test_anonymous_visitors_get_404(client, owned):
    mine, _other = owned
    assert client.get(pdf_url(mine)).status_code == 404


# --- public verification ------------------------------------------------------------


def test_verify_shows_name_course_hours_credit_date_and_approvals(client, owned):
    mine, _other = owned
    response = client.get(reverse("certificates:verify", args=[mine.code]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Maya Chen", mine.course_title, "6 hours", "Clock hours", "TEA-902-114"):
        assert text in html
    assert "Valid:" in html
    assert "Other Person" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_typed_code_in_lower_case_without_dashes_finds_the_certificate(client, owned):
    mine, _other = owned
    typed = mine.code.replace("-", "").lower()
    response = client.get(reverse("certificates:verify_form"), {"code": typed}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("certificates:verify", args=[mine.code])
    assert "Maya Chen" in response.content.decode()


def test_a_revoked_certificate_shows_the_date_but_not_the_private_reason(client, owned):
    mine, _other = owned
    services.revoke_certificate(
        certificate=mine, revoked_by=factories.pd_admin(), reason="Secret HR matter"
    )
    html = client.get(reverse("certificates:verify", args=[mine.code])).content.decode()
    assert "Revoked on" in html
    assert "Secret HR matter" not in html


def test_a_superseded_certificate_links_to_the_newer_one(client, owned):
    mine, _other = owned
    new = services.reissue_certificate(certificate=mine, reissued_by=factories.pd_admin())
    html = client.get(reverse("certificates:verify", args=[mine.code])).content.decode()
    assert "Superseded" in html
    assert reverse("certificates:verify", args=[new.code]) in html


def test_an_unknown_code_gets_a_helpful_404_page(client, owned):
    response = client.get(reverse("certificates:verify", args=["AAAA-BBBB-CCCC-DDDD-EEEE"]))
    assert response.status_code == 404
    assert "No certificate has this code" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_malformed_code_gets_a_404_page_explaining_the_format(client):
    response = client.get("/verify/%3Cscript%3Ealert(1)/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "codes have 20 letters and digits" in html
    assert "<script>alert(1)" not in html


def test_the_verify_form_explains_a_malformed_code(client):
    response = client.get(reverse("certificates:verify_form"), {"code": "12"})
    assert response.status_code == 200
    assert "does not look like a certificate code" in response.content.decode()


def test_checking_too_many_codes_is_rate_limited_with_a_friendly_page(client, settings):
    from certificates import views

    limit, _window = views.VERIFY_RATE
    url = reverse("certificates:verify", args=["AAAA-BBBB-CCCC-DDDD-EEEE"])
    statuses = [client.get(url).status_code for _ in range(limit)]
    assert set(statuses) == {404}
    response = client.get(url)
    assert response.status_code == 429
    assert "Please wait a few minutes" in response.content.decode()
    other_client = client_class_from(client)
    assert other_client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 404


def client_class_from(client):
    return type(client)()


def test_the_verify_page_makes_a_fixed_number_of_queries(
    client, owned, django_assert_max_num_queries
):
    mine, _other = owned
    url = reverse("certificates:verify", args=[mine.code])
    with django_assert_max_num_queries(2):
        client.get(url)


# --- transcript -------------------------------------------------------------------


@pytest.fixture
def second_course(catalogue):
    course = factories.course_with_modules(catalogue, modules=1, slug="ceu-course")
    course.credit_type = factories.credit_type("CEU", "CEUs")
    course.credit_hours = "0.5"
    course.save()
    return course


def test_the_transcript_totals_credit_per_type(client, owned, catalogue, second_course):
    mine, _other = owned
    third = factories.course_with_modules(catalogue, modules=1, slug="more-hours")
    third.credit_type = factories.credit_type()
    third.credit_hours = "1.5"
    third.save()
    factories.certificate(third, user=mine.user)
    factories.certificate(second_course, user=mine.user)
    client.force_login(mine.user)
    response = client.get(reverse("certificates:transcript"))
    totals = {(t.credit_type, t.unit): t.hours for t in response.context["transcript"].totals}
    assert totals == {("CEU", "CEUs"): 0.5, ("Clock hours", "hours"): 7.5}
    html = response.content.decode()
    assert "7.50 hours" in html
    assert "Other Person" not in html
    assert mine.code in html


def test_the_transcript_csv_lists_only_the_viewers_certificates(client, owned):
    mine, other = owned
    client.force_login(mine.user)
    response = client.get(reverse("certificates:transcript_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    codes = [row[6] for row in rows[1:] if len(row) > 6]
    assert codes == [mine.code]
    assert other.code not in response.content.decode()
    assert rows[-1][:3] == ["Total: Clock hours", "6.00", "hours"]


def test_the_transcript_pdf_is_the_viewers_own(client, owned):
    mine, other = owned
    client.force_login(mine.user)
    response = client.get(reverse("certificates:transcript_pdf"))
    assert response["Content-Type"] == "application/pdf"
    from tests.certificates.test_rendering import pdf_text

    text = pdf_text(response.content)
    assert mine.code in text
    assert other.code not in text


@pytest.mark.parametrize("name", ["transcript", "transcript_pdf", "transcript_csv"])
def test_the_transcript_needs_sign_in(client, name):
    response = client.get(reverse(f"certificates:{name}"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_transcript_query_count_does_not_grow_with_certificates(
    client, owned, catalogue, django_assert_max_num_queries
):
    mine, _other = owned
    for number in range(5):
        course = factories.course_with_modules(catalogue, modules=1, slug=f"c{number}")
        factories.certificate(course, user=mine.user)
    client.force_login(mine.user)
    with django_assert_max_num_queries(4):
        client.get(reverse("certificates:transcript"))


# --- dashboard and course page ------------------------------------------------------


def test_the_dashboard_lists_the_teachers_certificates_with_download_links(client, owned):
    mine, other = owned
    client.force_login(mine.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "My certificates" in html
    assert pdf_url(mine) in html
    assert pdf_url(other) not in html


def test_the_transcript_shows_a_declined_request_with_its_reason(client, approval_course):
    teacher = factories.teacher()
    enrollment = factories.completed_enrollment(approval_course, user=teacher)
    credit_request = services.request_credit(enrollment=enrollment)
    services.decline_credit_requests(
        request_ids=[credit_request.pk], decided_by=factories.pd_admin(), reason="Missing hours log"
    )
    client.force_login(teacher)
    html = client.get(reverse("certificates:transcript")).content.decode()
    assert "Credit declined." in html
    assert "Missing hours log" in html


def test_the_course_page_shows_credit_type_and_approvals(client, credit_course):
    credit_course.save_revision().publish()
    html = client.get(credit_course.url).content.decode()
    assert "Clock hours" in html
    assert "Texas Education Agency: TEA-902-114" in html


def test_downloading_a_stored_pdf_makes_a_fixed_number_of_queries(
    client, owned, django_assert_max_num_queries
):
    mine, _other = owned
    services.ensure_pdf(certificate=mine)
    client.force_login(mine.user)
    with django_assert_max_num_queries(2):
        response = client.get(pdf_url(mine))
    assert response.status_code == 200
