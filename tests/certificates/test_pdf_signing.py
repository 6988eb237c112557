"""Certificate PDFs are signed (PAdES B-B) and stay tagged, titled and with the credential."""

import asyncio
import datetime
import hashlib
import io

import pytest
from asn1crypto import pem, x509
from cryptography import x509 as crypto_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from certificates import pdf_signing, rendering
from core.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf(credit_course):
    certificate = factories.certificate(
        credit_course, user=factories.teacher(full_name="Maya Chen")
    )
    certificate.refresh_from_db()
    return certificate, rendering.render_certificate(certificate)


def trust_root():
    data = pdf_signing.signing_certificate_path().read_bytes()
    _type, _headers, der = pem.unarmor(data)
    return x509.Certificate.load(der)


def test_the_certificate_pdf_carries_a_valid_untouched_pades_signature(pdf):
    _certificate, content = pdf
    reader = PdfFileReader(io.BytesIO(content))
    (signature,) = reader.embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[trust_root()]))
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"


def test_a_changed_byte_breaks_the_signature(pdf):
    _certificate, content = pdf
    reader = PdfFileReader(io.BytesIO(content))
    start = int(reader.embedded_signatures[0].sig_object["/ByteRange"][1]) // 2
    tampered = bytearray(content)
    tampered[start] = ord("X") if tampered[start] != ord("X") else ord("Y")
    (signature,) = PdfFileReader(io.BytesIO(bytes(tampered)), strict=False).embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[trust_root()]))
    assert not status.intact


def test_signing_keeps_tags_language_title_and_the_attached_credential(pdf):
    certificate, content = pdf
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert reader.metadata.title
    assert reader.attachments["credential.json"] == [certificate.credential_json.encode()]


def _certificate(subject, key, issuer_name, issuer_key, *, ca):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        crypto_x509.CertificateBuilder()
        .subject_name(crypto_x509.Name([crypto_x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(
            crypto_x509.Name([crypto_x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)])
        )
        .public_key(key.public_key())
        .serial_number(crypto_x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(crypto_x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            crypto_x509.KeyUsage(not ca, not ca, False, False, False, ca, ca, False, False),
            critical=True,
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(path, certificate):
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(path)


def test_an_authoritys_certificate_with_a_chain_and_a_large_key_signs_and_verifies(
    settings, credit_course, tmp_path, client
):
    """What docs/certificates.md tells an operator to configure: a CA-issued RSA-4096
    certificate and an intermediate. The room reserved for the signature fits it."""
    root_key, middle_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    root = _certificate("Test Root CA", root_key, "Test Root CA", root_key, ca=True)
    middle = _certificate("Test Issuing CA", middle_key, "Test Root CA", root_key, ca=True)
    leaf = _certificate("Lakeside Unified", leaf_key, "Test Issuing CA", middle_key, ca=False)
    key_path = tmp_path / "key.pem"
    key_path.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    settings.PDF_SIGNING_KEY = str(key_path)
    settings.PDF_SIGNING_CERT = _pem(tmp_path / "leaf.pem", leaf)
    settings.PDF_SIGNING_CHAIN = [_pem(tmp_path / "middle.pem", middle)]
    certificate = factories.certificate(credit_course)
    certificate.refresh_from_db()
    content = rendering.render_certificate(certificate)
    (signature,) = PdfFileReader(io.BytesIO(content)).embedded_signatures
    trusted_root = x509.Certificate.load(root.public_bytes(serialization.Encoding.DER))
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[trusted_root]))
    assert status.intact and status.valid and status.trusted
    assert status.signing_cert.subject.human_friendly == "Common Name: Lakeside Unified"
    upload = SimpleUploadedFile("c.pdf", content, "application/pdf")
    page = client.post(reverse("certificates:verify_form"), {"file": upload}).content.decode()
    assert "PDF signature:\n            passed" in page


def test_each_signature_fills_in_the_container_pyhanko_built_once_and_nothing_else(pdf):
    """The signer builds the CMS container once and then only puts in each document's
    digest and signature: the result must be what pyHanko itself builds for that digest,
    byte for byte apart from the (randomised ECDSA) signature, which must verify."""
    signer = pdf_signing.signer()
    for document in (b"Maya Chen's certificate", b"Rosa Diaz's certificate"):
        digest = hashlib.sha256(document).digest()
        ours = asyncio.run(signer.async_sign(digest, "sha256", use_pades=True))
        pyhankos = asyncio.run(
            signers.SimpleSigner.async_sign(signer, digest, "sha256", use_pades=True)
        )
        ours_data, pyhankos_data = ours["content"], pyhankos["content"]
        for part in ("version", "digest_algorithms", "encap_content_info", "certificates"):
            assert ours_data[part].dump() == pyhankos_data[part].dump()
        (ours_info,), (pyhankos_info,) = ours_data["signer_infos"], pyhankos_data["signer_infos"]
        for part in ("version", "sid", "digest_algorithm", "signed_attrs", "signature_algorithm"):
            assert ours_info[part].dump() == pyhankos_info[part].dump()
        assert ours_info["signed_attrs"].native[1]["values"] == [digest]
        public_key = crypto_x509.load_der_x509_certificate(signer.signing_cert.dump()).public_key()
        public_key.verify(
            ours_info["signature"].native,
            ours_info["signed_attrs"].untag().dump(),
            ec.ECDSA(hashes.SHA256()),
        )


def test_the_signature_says_who_issued_it_after_the_organisation_is_renamed(credit_course):
    """The signature's reason names the organisation from the shared cache; saving the
    setting drops the cached name, so the next PDF is signed with the new one."""
    certificate = factories.certificate(credit_course)
    certificate.refresh_from_db()
    first = rendering.render_certificate(certificate)
    setting = Organisation.for_site(credit_course.get_site())
    setting.name = "Lakeside Unified"
    setting.save()
    renamed = rendering.render_certificate(certificate)
    reasons = [
        str(PdfFileReader(io.BytesIO(content)).embedded_signatures[0].sig_object["/Reason"])
        for content in (first, renamed)
    ]
    assert "Lakeside Unified" not in reasons[0]
    assert reasons[1] == f"Certificate {certificate.code} issued by Lakeside Unified"
