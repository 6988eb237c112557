import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from certificates import services
from certificates.enums import CertificateStatus, CreditRequestStatus
from certificates.models import Certificate, CreditRequest
from certificates.vc import baking, statuslist
from demo import seed as demo

User = get_user_model()

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


# --- issue 14's "done when": the demo teacher's certificate in its three forms --------


@pytest.fixture
def demo_certificate(django_capture_on_commit_callbacks, settings, tmp_path):
    settings.ISSUER_KEY_DIR = tmp_path / "keys"  # keys of this test's own
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed()
    return Certificate.objects.get(user__email="teacher@example.com")


def three_forms(client, certificate) -> dict[str, bytes]:
    """What the demo teacher downloads: the signed PDF, the JSON and the baked badge."""
    client.force_login(certificate.user)
    pdf = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    credential = client.get(reverse("certificates:credential", args=[certificate.pk]))
    badge = client.get(reverse("certificates:badge", args=[certificate.pk]))
    client.logout()  # /verify/ is for anyone
    assert [pdf.status_code, credential.status_code, badge.status_code] == [200, 200, 200]
    return {
        "certificate.pdf": b"".join(pdf.streaming_content),
        "credential.json": credential.content,
        "badge.png": badge.content,
    }


def tamper(name: str, content: bytes) -> bytes:
    """One character changed: the name in the JSON and in the badge's credential, and one
    byte inside the PDF's signed range (for the PDF, any byte, printed or not)."""
    if name == "certificate.pdf":
        signed_end = int(
            PdfFileReader(io.BytesIO(content)).embedded_signatures[0].sig_object["/ByteRange"][1]
        )
        changed = bytearray(content)
        changed[signed_end // 2] ^= 0x01
        return bytes(changed)
    if name == "badge.png":
        text = baking.extract(content)
        return baking.bake(content, text.replace("Jordan", "Jordam", 1))
    return content.replace(b"Jordan", b"Jordam", 1)


def verify_page(client, name, content) -> str:
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("certificates:verify_form"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == (200 if "Valid: we issued" in page else 422)
    return page


def verify_command(tmp_path, client, name, content) -> tuple[int, str]:
    """`manage.py verify_credential FILE --status-list LIST` on a saved download."""
    status_list = tmp_path / "status.json"
    status_list.write_bytes(client.get(reverse("certificates:status_list", args=[1])).content)
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    try:
        call_command("verify_credential", str(path), "--status-list", str(status_list), stdout=out)
        return 0, out.getvalue()
    except SystemExit as exit_:
        return exit_.code, out.getvalue()


def test_the_demo_teachers_certificate_verifies_in_all_three_forms_and_a_tamper_fails_each(
    client, demo_certificate, tmp_path
):
    certificate = demo_certificate
    assert "Jordan" in certificate.name_on_certificate
    forms = three_forms(client, certificate)
    reader = PdfReader(io.BytesIO(forms["certificate.pdf"]))
    assert reader.attachments["credential.json"] == [forms["credential.json"]]
    assert len(PdfFileReader(io.BytesIO(forms["certificate.pdf"])).embedded_signatures) == 1
    assert baking.extract(forms["badge.png"]).encode() == forms["credential.json"]
    for name, content in forms.items():
        page = verify_page(client, name, content)
        assert "Valid: we issued this credential" in page, name
        code, out = verify_command(tmp_path, client, name, content)
        assert (code, out.splitlines()[-1]) == (0, "VALID"), (name, out)

        tampered = tamper(name, content)
        assert tampered != content
        page = verify_page(client, name, tampered)
        assert "Not valid: at least one check failed" in page, name
        code, out = verify_command(tmp_path, client, name, tampered)
        assert (code, out.splitlines()[-1]) == (1, "NOT VALID"), (name, out)
    assert "PDF signature:\n            passed" in verify_page(
        client, "certificate.pdf", forms["certificate.pdf"]
    )
    assert "PDF signature:\n            failed" in verify_page(
        client, "certificate.pdf", tamper("certificate.pdf", forms["certificate.pdf"])
    )


def test_revoking_the_demo_certificate_shows_at_the_next_request_everywhere(
    client, demo_certificate, tmp_path
):
    certificate = demo_certificate
    credential = three_forms(client, certificate)["credential.json"]
    entry = json.loads(credential)["credentialStatus"]
    status_url = entry["statusListCredential"].replace("http://testserver", "")

    def revoked_in_list() -> bool:
        document = client.get(status_url).json()
        bits = statuslist.decode(document["credentialSubject"]["encodedList"])
        return statuslist.bit(bits, int(entry["statusListIndex"]))

    # Each read once before, so anything cached is cached.
    assert revoked_in_list() is False
    assert "Valid" in client.get(certificate.get_verify_path()).content.decode()
    assert "Valid: we issued" in verify_page(client, "credential.json", credential)

    services.revoke_certificate(
        certificate=certificate,
        revoked_by=User.objects.get(email="admin@example.com"),
        reason="Entered in error",
    )
    assert revoked_in_list() is True
    assert "Revoked" in client.get(certificate.get_verify_path()).content.decode()
    page = verify_page(client, "credential.json", credential)
    assert "Status:\n            failed" in page and "Revoked" in page
    code, out = verify_command(tmp_path, client, "credential.json", credential)
    assert code == 1 and "FAIL  Status: Revoked" in out
