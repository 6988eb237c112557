import csv
import io
import zipfile

import pytest
from django.core import mail
from django.urls import reverse

from certificates import services
from certificates.enums import CertificateStatus, CreditRequestStatus
from certificates.models import Certificate, CreditRequest
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(factories.pd_admin())
    return client


@pytest.fixture
def waiting(approval_course):
    return [
        services.request_credit(enrollment=factories.completed_enrollment(approval_course))
        for _ in range(3)
    ]


def test_teachers_and_coaches_cannot_open_the_admin_screens(client, waiting):
    for user in (factories.teacher(), factories.coach()):
        client.force_login(user)
        assert client.get(reverse("certificates_admin:queue")).status_code in (302, 403)
        response = client.post(
            reverse("certificates_admin:decide"),
            {"selected": [r.pk for r in waiting], "action": "approve"},
        )
        assert response.status_code in (302, 403)
    assert not Certificate.objects.exists()


def test_the_queue_lists_waiting_completions_and_filters_by_course(
    admin_client, waiting, catalogue
):
    other_course = factories.course_with_modules(catalogue, modules=1, slug="other")
    other_course.requires_approval = True
    other_course.save()
    services.request_credit(
        enrollment=factories.completed_enrollment(
            other_course, user=factories.teacher(full_name="Zed Other")
        )
    )
    response = admin_client.get(reverse("certificates_admin:queue"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 4
    filtered = admin_client.get(
        reverse("certificates_admin:queue"), {"course": waiting[0].enrollment.course_id}
    )
    assert filtered.context["page"].paginator.count == 3
    assert "Zed Other" not in filtered.content.decode()


def test_the_queue_filters_by_cohort(admin_client, waiting):
    in_cohort = waiting[1].enrollment.user
    cohort = factories.cohort(coaches=[factories.coach()], members=[in_cohort])
    filtered = admin_client.get(reverse("certificates_admin:queue"), {"cohort": cohort.pk})
    assert [row.enrollment.user for row in filtered.context["page"].object_list] == [in_cohort]


def test_approving_many_issues_each_once_and_shows_the_result(
    admin_client, waiting, django_capture_on_commit_callbacks
):
    ids = [r.pk for r in waiting]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("certificates_admin:decide"), {"selected": ids, "action": "approve"}
        )
    result = admin_client.get(response["Location"])
    assert "Issued 3, failed 0" in result.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("certificates_admin:decide"), {"selected": ids, "action": "approve"}
        )
    assert Certificate.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_failure_is_reported_with_its_reason(
    admin_client, waiting, django_capture_on_commit_callbacks
):
    broken = waiting[0].enrollment.user
    broken.full_name = ""
    broken.save()
    ids = [r.pk for r in waiting]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("certificates_admin:decide"), {"selected": ids, "action": "approve"}
        )
    html = admin_client.get(response["Location"]).content.decode()
    assert "Issued 2, failed 1" in html
    assert "The teacher has no name to print on the certificate." in html


def test_declining_needs_a_reason(admin_client, waiting):
    url = reverse("certificates_admin:decide")
    admin_client.post(url, {"selected": [waiting[0].pk], "action": "decline", "reason": ""})
    assert CreditRequest.objects.get(pk=waiting[0].pk).status == CreditRequestStatus.PENDING
    admin_client.post(url, {"selected": [waiting[0].pk], "action": "decline", "reason": "No log"})
    declined = CreditRequest.objects.get(pk=waiting[0].pk)
    assert (declined.status, declined.decline_reason) == (CreditRequestStatus.DECLINED, "No log")


def test_the_certificate_page_shows_its_history_and_revokes(admin_client, credit_course):
    certificate = factories.certificate(credit_course)
    url = reverse("certificates_admin:detail", args=[certificate.pk])
    assert "Issued" in admin_client.get(url).content.decode()
    admin_client.post(
        reverse("certificates_admin:action", args=[certificate.pk]),
        {"action": "revoke", "reason": "Duplicate account"},
    )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    html = admin_client.get(url).content.decode()
    assert "Duplicate account" in html
    assert "Revoked" in html


def test_reissue_from_the_certificate_page_opens_the_new_certificate(admin_client, credit_course):
    certificate = factories.certificate(credit_course)
    response = admin_client.post(
        reverse("certificates_admin:action", args=[certificate.pk]), {"action": "reissue"}
    )
    new = Certificate.objects.get(status=CertificateStatus.VALID)
    assert response["Location"] == reverse("certificates_admin:detail", args=[new.pk])
    assert new.supersedes == certificate


def test_csv_export_filters_by_status(admin_client, credit_course):
    kept = factories.certificate(credit_course)
    revoked = factories.certificate(credit_course)
    services.revoke_certificate(certificate=revoked, revoked_by=None, reason="x")
    response = admin_client.get(reverse("certificates_admin:csv"), {"status": "valid"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[0] for row in rows[1:]] == [kept.code]


def test_zip_of_selected_pdfs(admin_client, credit_course):
    first = factories.certificate(credit_course)
    second = factories.certificate(credit_course)
    factories.certificate(credit_course)
    response = admin_client.post(
        reverse("certificates_admin:zip"), {"selected": [str(first.pk), str(second.pk)]}
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(
        [f"certificate-{first.code}.pdf", f"certificate-{second.code}.pdf"]
    )
    assert archive.read(f"certificate-{first.code}.pdf").startswith(b"%PDF")


def test_a_zip_leaves_out_revoked_certificates_which_have_no_pdf(admin_client, credit_course):
    kept = factories.certificate(credit_course)
    revoked = factories.certificate(credit_course)
    services.revoke_certificate(certificate=revoked, revoked_by=None, reason="x")
    response = admin_client.post(
        reverse("certificates_admin:zip"), {"selected": [str(kept.pk), str(revoked.pk)]}
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [f"certificate-{kept.code}.pdf"]
    response = admin_client.post(
        reverse("certificates_admin:zip"), {"selected": [str(revoked.pk)]}, follow=True
    )
    assert "revoked ones have no PDF" in response.content.decode()


def test_a_revoked_certificates_page_offers_no_pdf_link(admin_client, credit_course):
    certificate = factories.certificate(credit_course)
    url = reverse("certificates_admin:detail", args=[certificate.pk])
    pdf_link = f'href="{certificate.get_absolute_url()}"'
    assert pdf_link in admin_client.get(url).content.decode()
    services.revoke_certificate(certificate=certificate, revoked_by=None, reason="x")
    assert pdf_link not in admin_client.get(url).content.decode()


def test_the_certificate_list_query_count_does_not_grow(
    admin_client, credit_course, django_assert_max_num_queries
):
    for _ in range(5):
        factories.certificate(credit_course)
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("certificates_admin:list"))
    assert response.status_code == 200


def test_pd_admins_may_manage_credit_types_and_the_organisation_setting():
    admin = factories.pd_admin()
    assert admin.has_perm("certificates.add_credittype")
    assert admin.has_perm("core.change_organisation")
    assert not factories.teacher().has_perm("certificates.add_credittype")


def test_the_queue_query_count_does_not_grow_with_waiting_completions(
    admin_client, waiting, approval_course, django_assert_max_num_queries
):
    for _ in range(5):
        services.request_credit(enrollment=factories.completed_enrollment(approval_course))
    # 13 with the cohort choices in the filter form; constant in the queue's length.
    with django_assert_max_num_queries(13):
        response = admin_client.get(reverse("certificates_admin:queue"))
    assert response.context["page"].paginator.count == 8


def test_a_tampered_zip_selection_is_refused_politely(admin_client, credit_course):
    response = admin_client.post(reverse("certificates_admin:zip"), {"selected": ["nope", "1"]})
    assert response.status_code == 302


def test_the_approval_queue_speaks_the_pd_admins_chosen_language(client, waiting):
    # Wagtail's admin follows the active language when the admin set no preference of its own.
    client.force_login(factories.pd_admin(language="es"))
    html = client.get(reverse("certificates_admin:queue")).content.decode()
    assert "Aprobar las seleccionadas y emitir los certificados" in html
    assert "Approve selected" not in html
