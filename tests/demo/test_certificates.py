import pytest

from certificates.enums import CertificateStatus, CreditRequestStatus
from certificates.models import Certificate, CreditRequest
from demo import seed as demo

pytestmark = pytest.mark.django_db


def test_the_demo_teacher_holds_a_certificate_and_one_completion_waits(
    django_capture_on_commit_callbacks,
):
    for _ in range(2):  # idempotent
        with django_capture_on_commit_callbacks(execute=True):
            demo.seed()
    certificate = Certificate.objects.get(user__email="teacher@example.com")
    assert certificate.status == CertificateStatus.VALID
    assert (certificate.credit_type_name, certificate.credit_unit) == ("Clock hours", "hours")
    assert certificate.approvals[0]["approval_number"] == "PD-2026-0417"
    waiting = CreditRequest.objects.get()
    assert waiting.enrollment.user.full_name == "Priya Shah"
    assert waiting.status == CreditRequestStatus.PENDING
    assert not Certificate.objects.filter(user__email="priya@example.com").exists()
    assert waiting.enrollment.user.check_password(demo.DEMO_PASSWORD)
