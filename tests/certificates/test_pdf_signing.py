"""Certificate PDFs are signed (PAdES B-B) and stay tagged, titled and with the credential."""

import io

import pytest
from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from certificates import pdf_signing, rendering
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
