"""The signed Open Badges credential of a certificate: what it says, where it is served,
how the issuer's keys rotate, and how revocation reaches the status list."""

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pypdf import PdfReader

from certificates import (
    issuer,
    openbadges,
    pdf_signing,
    rendering,
    selectors,
    services,
    status_lists,
)
from certificates.models import Certificate
from certificates.vc import baking, dataintegrity, statuslist
from core.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(credit_course):
    return factories.certificate(
        credit_course, user=factories.teacher(full_name="Maya Chen", email="maya@example.org")
    )


def credential_of(certificate) -> dict:
    certificate.refresh_from_db()
    return json.loads(certificate.credential_json)


def check(report, key):
    return next(c for c in report.checks if c.key == key)


def test_an_issued_certificate_carries_an_open_badge_credential_with_its_facts(certificate):
    credential = credential_of(certificate)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == certificate.get_verify_url()
    assert credential["issuer"]["id"] == "did:web:testserver"
    subject = credential["credentialSubject"]
    assert subject["name"] == "Maya Chen"
    assert subject["creditsEarned"] == 6.0
    achievement = subject["achievement"]
    assert achievement["creditsAvailable"] == 6.0
    assert achievement["name"] == certificate.course_title
    assert achievement["otherIdentifier"][0]["identifier"] == "Texas Education Agency: TEA-902-114"
    assert achievement["criteria"]["narrative"]
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["proof"]["verificationMethod"].startswith("did:web:testserver#z6Mk")


def test_a_credential_issued_after_the_organisation_is_renamed_names_the_new_issuer(
    credit_course,
):
    """The issuer's name comes from the shared cache; saving the setting drops it."""
    first = credential_of(factories.certificate(credit_course))
    setting = Organisation.for_site(credit_course.get_site())
    setting.name = "Lakeside Unified"
    setting.save()
    renamed = credential_of(factories.certificate(credit_course))
    assert first["issuer"]["name"] != "Lakeside Unified"
    assert renamed["issuer"]["name"] == "Lakeside Unified"
    # The narrative names who granted the credit (in whichever language was active).
    narrative = renamed["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert "Lakeside Unified" in narrative


def test_the_teachers_email_is_only_in_the_credential_as_a_salted_hash(certificate):
    text = certificate.__class__.objects.get(pk=certificate.pk).credential_json
    assert "maya@example.org" not in text
    identity = json.loads(text)["credentialSubject"]["identifier"][0]
    expected = hashlib.sha256(("maya@example.org" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}"
    assert identity["hashed"] is True and identity["identityType"] == "emailAddress"


def test_the_credential_verifies_as_valid(certificate):
    report = selectors.verify_credential_bytes(certificate.credential_json.encode())
    assert [c.state for c in report.checks] == ["pass"] * 5
    assert report.verdict == "valid"


def test_the_owner_downloads_the_credential_json(client, certificate):
    client.force_login(certificate.user)
    response = client.get(reverse("certificates:credential", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert json.loads(response.content)["credentialSubject"]["name"] == "Maya Chen"


def test_a_certificate_issued_before_credentials_existed_is_signed_on_first_download(
    client, certificate
):
    Certificate.objects.filter(pk=certificate.pk).update(credential_json="", status_list_index=None)
    client.force_login(certificate.user)
    response = client.get(reverse("certificates:credential", args=[certificate.pk]))
    assert response.status_code == 200
    assert selectors.verify_credential_bytes(response.content).verdict == "valid"


def test_did_json_publishes_the_current_key(client, certificate):
    document = client.get("/.well-known/did.json").json()
    method = credential_of(certificate)["proof"]["verificationMethod"]
    assert document["id"] == "did:web:testserver"
    assert document["assertionMethod"] == [method]


def test_after_a_key_rotation_old_credentials_still_verify_and_new_ones_use_the_new_key(
    client, credit_course, certificate
):
    old_method = credential_of(certificate)["proof"]["verificationMethod"]
    old, new = issuer.rotate()
    assert old_method.endswith(old)
    later = factories.certificate(credit_course, user=factories.teacher(full_name="Luis Ortega"))
    assert credential_of(later)["proof"]["verificationMethod"].endswith(new)
    document = client.get("/.well-known/did.json").json()
    assert document["assertionMethod"] == [old_method, issuer.verification_method_id(new)]
    assert (
        selectors.verify_credential_bytes(certificate.credential_json.encode()).verdict == "valid"
    )
    assert selectors.verify_credential_bytes(later.credential_json.encode()).verdict == "valid"
    assert not (issuer._key_dir() / f"{old}.key").exists()


def test_a_credential_signed_by_a_key_not_in_did_json_fails_the_issuer_key_check(certificate):
    credential = credential_of(certificate)
    del credential["proof"]
    resigned = dataintegrity.sign(
        credential,
        private_key=issuer.Ed25519PrivateKey.generate(),
        verification_method="did:web:testserver#z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH",
        created="2026-01-01T00:00:00Z",
    )
    report = selectors.verify_credential_bytes(json.dumps(resigned).encode())
    assert check(report, "issuer").state == "fail"
    assert "does not publish" in check(report, "issuer").message
    assert report.verdict == "invalid"


def test_the_private_key_can_come_from_the_environment(settings, credit_course):
    settings.ISSUER_PRIVATE_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
    certificate = factories.certificate(credit_course)
    method = credential_of(certificate)["proof"]["verificationMethod"]
    assert method == "did:web:testserver#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    assert not (issuer._key_dir() / issuer.CURRENT_KEY).exists()


# --- revocation ------------------------------------------------------------------------


def status_bit(client, credential) -> bool:
    entry = credential["credentialStatus"]
    listed = client.get(entry["statusListCredential"].replace("http://testserver", ""))
    assert listed.status_code == 200
    document = listed.json()
    dataintegrity.verify(document, resolve_key=issuer.key_resolver(issuer.did_document()))
    bits = statuslist.decode(document["credentialSubject"]["encodedList"])
    return statuslist.bit(bits, int(entry["statusListIndex"]))


def test_revoking_flips_the_bit_and_the_verify_check_agrees_with_the_list(client, certificate):
    credential = credential_of(certificate)
    assert status_bit(client, credential) is False
    services.revoke_certificate(
        certificate=certificate, revoked_by=factories.pd_admin(), reason="Entered in error"
    )
    assert status_bit(client, credential) is True
    report = selectors.verify_credential_bytes(certificate.credential_json.encode())
    assert check(report, "status").state == "fail"
    assert "Revoked" in check(report, "status").message
    assert check(report, "proof").state == "pass"
    page = client.get(certificate.get_verify_path())
    assert "Revoked" in page.content.decode()


def test_reissuing_flips_the_old_bit_and_the_new_credential_is_valid(client, certificate):
    old_credential = credential_of(certificate)
    new = services.reissue_certificate(certificate=certificate, reissued_by=factories.pd_admin())
    assert status_bit(client, old_credential) is True
    assert status_bit(client, credential_of(new)) is False
    assert selectors.verify_credential_bytes(new.credential_json.encode()).verdict == "valid"


def test_status_list_indexes_are_distinct_and_inside_the_list(credit_course):
    certificates = [
        factories.certificate(credit_course, user=factories.teacher(full_name=f"T {n}"))
        for n in range(3)
    ]
    indexes = {c.status_list_index for c in certificates}
    assert len(indexes) == 3
    assert all(0 <= index < status_lists.LIST_SIZE for index in indexes)


def test_an_unknown_status_list_is_not_found(client):
    assert client.get(reverse("certificates:status_list", args=[7])).status_code == 404


# --- the credential inside the PDF and inside the badge image -------------------------


def verify_upload(client, name, content, content_type):
    upload = SimpleUploadedFile(name, content, content_type)
    return client.post(reverse("certificates:verify_form"), {"file": upload}).content.decode()


def test_the_pdf_carries_the_credential_and_verifies_on_the_verify_page(client, certificate):
    client.force_login(certificate.user)
    pdf = b"".join(client.get(certificate.get_absolute_url()).streaming_content)
    attached = PdfReader(io.BytesIO(pdf)).attachments["credential.json"]
    certificate.refresh_from_db()
    assert attached == [certificate.credential_json.encode()]
    assert "Valid: we issued" in verify_upload(client, "c.pdf", pdf, "application/pdf")


def test_a_pdf_whose_attached_credential_was_changed_fails(client, certificate):
    certificate.refresh_from_db()
    certificate.credential_json = certificate.credential_json.replace("Maya Chen", "Maya Chem")
    pdf = rendering.render_certificate(certificate)
    text = verify_upload(client, "c.pdf", pdf, "application/pdf")
    assert "Signature:\n            failed" in text


def test_a_pdf_without_a_credential_is_told_so(client, certificate):
    certificate.refresh_from_db()
    certificate.credential_json = ""
    pdf = rendering.render_certificate(certificate)
    assert "it has no credential.json attached" in verify_upload(
        client, "c.pdf", pdf, "application/pdf"
    )


def test_the_owner_downloads_a_baked_badge_that_verifies(client, certificate):
    client.force_login(certificate.user)
    response = client.get(reverse("certificates:badge", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (512, 512)
    certificate.refresh_from_db()
    assert baking.extract(response.content) == certificate.credential_json
    assert "Valid: we issued" in verify_upload(client, "b.png", response.content, "image/png")
    tampered = baking.bake(
        response.content,
        certificate.credential_json.replace('"creditsEarned": 6.0', '"creditsEarned": 7.0'),
    )
    assert "Signature:\n            failed" in verify_upload(client, "b.png", tampered, "image/png")


def test_a_pdf_changed_by_an_incremental_update_after_signing_fails(client, certificate):
    """A PDF editor appends its changes after the signature: the credential inside still
    checks, but the page no longer shows what we signed."""
    certificate.refresh_from_db()
    writer = IncrementalPdfFileWriter(io.BytesIO(rendering.render_certificate(certificate)))
    writer.root["/Lang"] = generic.TextStringObject("es")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    text = verify_upload(client, "c.pdf", output.getvalue(), "application/pdf")
    assert "PDF signature:\n            failed" in text
    assert "Something was added to the PDF after it was signed." in text
    assert "Signature:\n            passed" in text  # the attached credential itself


def test_a_pdf_signed_with_a_certificate_we_do_not_use_fails(client, certificate, tmp_path):
    certificate.refresh_from_db()
    key_path, cert_path = tmp_path / "other-key.pem", tmp_path / "other-cert.pem"
    pdf_signing._make_self_signed(key_path, cert_path)
    writer = IncrementalPdfFileWriter(
        io.BytesIO(rendering.render_unsigned_certificate(certificate))
    )
    output = io.BytesIO()
    signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name="CertificateSignature"),
        signer=signers.SimpleSigner.load(str(key_path), str(cert_path)),
    ).sign_pdf(writer, output=output)
    text = verify_upload(client, "c.pdf", output.getvalue(), "application/pdf")
    assert "Signed by a certificate we do not sign with" in text
    assert "Not valid" in text


def test_an_unsigned_pdf_fails_the_pdf_signature_check(client, certificate):
    certificate.refresh_from_db()
    pdf = rendering.render_unsigned_certificate(certificate)
    assert "The PDF carries no digital signature." in verify_upload(
        client, "c.pdf", pdf, "application/pdf"
    )


def test_issuing_signing_and_verifying_a_certificate_work_with_sockets_blocked(
    no_network, certificate
):
    """Issue (the credential is signed then), render and PAdES-sign the PDF, bake the badge,
    and check all three, with every socket refused (the fixture fails the test on one)."""
    certificate.refresh_from_db()
    credential = certificate.credential_json.encode()
    forms = {
        "json": credential,
        "pdf": rendering.render_certificate(certificate),
        "png": baking.bake(png_image(), certificate.credential_json),
    }
    for name, raw in forms.items():
        report = selectors.verify_credential_bytes(raw)
        assert report.verdict == "valid", (name, report.checks)
    assert issuer.sign(openbadges.build_credential(certificate))["proof"]["proofValue"]


def png_image() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def test_rotate_issuer_key_keeps_every_earlier_form_verifying(client, certificate):
    """`manage.py rotate_issuer_key`, as an operator runs it: the JSON, the PDF and the badge
    signed before it still verify on /verify/, and did.json lists both keys."""
    certificate.refresh_from_db()
    before = {
        "c.json": (certificate.credential_json.encode(), "application/json"),
        "c.pdf": (rendering.render_certificate(certificate), "application/pdf"),
        "b.png": (baking.bake(png_image(), certificate.credential_json), "image/png"),
    }
    out = io.StringIO()
    call_command("rotate_issuer_key", stdout=out)
    assert "Retired" in out.getvalue()
    assert len(client.get("/.well-known/did.json").json()["assertionMethod"]) == 2
    for name, (content, content_type) in before.items():
        assert "Valid: we issued" in verify_upload(client, name, content, content_type), name
