"""/verify/ with a credential (pasted, uploaded, or a baked badge) and `manage.py
verify_credential`: a plain verdict per check, and never a server error on bad input."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from certificates import issuer
from certificates.vc import baking, statuslist
from tests import factories

URL = reverse("certificates:verify_form")


@pytest.fixture
def credential_text(db, credit_course):
    certificate = factories.certificate(
        credit_course, user=factories.teacher(full_name="Maya Chen")
    )
    return certificate.credential_json


def post(client, **data):
    return client.post(URL, data)


def page(response) -> str:
    return response.content.decode()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_pasted_credential_is_reported_valid_check_by_check(client, credential_text):
    response = post(client, text=credential_text)
    assert response.status_code == 200
    text = page(response)
    assert "Valid: we issued this credential" in text
    for name in ("Signature", "Issuer key", "Status", "Validity period"):
        assert f"{name}:\n            passed" in text
    assert "Maya Chen" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c["credentialSubject"].update(name="Maya Chem"),
        lambda c: c["credentialSubject"].update(creditsEarned=60.0),
        lambda c: c["issuer"].update(name="Another Organisation"),
    ],
    ids=["name", "hours", "issuer name"],
)
def test_a_one_character_change_fails_the_signature(client, credential_text, tamper):
    credential = json.loads(credential_text)
    tamper(credential)
    response = post(client, text=json.dumps(credential))
    assert response.status_code == 422
    assert "Signature:\n            failed" in page(response)
    assert "was changed" in page(response)


@pytest.mark.django_db
def test_a_changed_proof_value_fails(client, credential_text):
    credential = json.loads(credential_text)
    value = credential["proof"]["proofValue"]
    credential["proof"]["proofValue"] = value[:-2] + ("AA" if value[-2:] != "AA" else "BB")
    response = post(client, text=json.dumps(credential))
    assert "Signature:\n            failed" in page(response)


@pytest.mark.django_db
def test_a_credential_from_another_issuer_is_not_vouched_for(client, credential_text):
    credential = json.loads(credential_text)
    credential["issuer"]["id"] = "did:web:diploma-mill.example"
    response = post(client, text=json.dumps(credential))
    assert response.status_code == 422
    assert "Issued by did:web:diploma-mill.example, not by this site" in page(response)


@pytest.mark.django_db
def test_an_undefined_term_added_to_a_credential_is_named(client, credential_text):
    credential = json.loads(credential_text)
    credential["credentialSubject"]["honours"] = "summa cum laude"
    response = post(client, text=json.dumps(credential))
    assert "honours" in page(response)
    assert "Signature:\n            failed" in page(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("this is not json", "This is not JSON"),
        ('{"name": "x"}', "not JSON-LD: it has no @context"),
        ('["a list"]', "not a credential"),
        ('{"@context": "https://schema.org", "type": "Person"}', "not a W3C Verifiable Credential"),
        (
            '{"@context": ["https://www.w3.org/ns/credentials/v2"], '
            '"type": ["VerifiableCredential"], '
            '"issuer": "did:web:testserver", "validFrom": 7, "proof": 3}',
            "no proof",
        ),
    ],
)
def test_bad_input_gets_a_plain_message_not_an_error_page(client, text, message):
    response = post(client, text=text)
    assert response.status_code == 422
    assert message in page(response)


@pytest.mark.django_db
def test_an_empty_form_asks_for_a_file_or_text(client):
    response = post(client)
    assert response.status_code == 400
    assert "Choose a credential file or paste its JSON." in page(response)


@pytest.mark.django_db
def test_a_20_mb_upload_is_refused_with_its_size(client):
    upload = SimpleUploadedFile("big.json", b"{" + b" " * 20_000_000 + b"}")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 422
    assert "too large (20.0 MB)" in page(response)


@pytest.mark.django_db
def test_pasting_more_than_the_request_limit_is_refused_plainly(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post(client, text="x" * 20_000)
    assert response.status_code == 413
    assert "too large" in page(response)


@pytest.mark.django_db
def test_an_uploaded_file_and_a_baked_badge_verify(client, credential_text):
    upload = SimpleUploadedFile("credential.json", credential_text.encode())
    assert "Valid: we issued" in page(client.post(URL, {"file": upload}))
    badge = SimpleUploadedFile("badge.png", baking.bake(png(), credential_text), "image/png")
    assert "Valid: we issued" in page(client.post(URL, {"file": badge}))


@pytest.mark.django_db
def test_a_png_with_no_credential_or_two_is_refused(client, credential_text):
    plain = SimpleUploadedFile("plain.png", png(), "image/png")
    assert "has no Open Badges credential" in page(client.post(URL, {"file": plain}))
    once = baking.bake(png(), credential_text)
    # A second chunk appended by hand (bake() itself replaces the first).
    end = once.rindex(b"IEND") - 4
    chunk_start = once.index(b"iTXt") - 4
    twice = once[:end] + once[chunk_start:end] + once[end:]
    response = client.post(URL, {"file": SimpleUploadedFile("two.png", twice, "image/png")})
    assert "has 2 credentials baked in" in page(response)


# --- the command line, with no database ---------------------------------------------------


def signed_file(tmp_path, **changes):
    """A credential signed by this site's key, made without any database."""
    document = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "http://testserver/verify/7KQM-3XRT-9PWD-HC4N-2VEB/",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer.issuer_did(), "type": ["Profile"], "name": "PD Courses"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Closing the gap",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": "Maya Chen",
            "achievement": {
                "id": "http://testserver/courses/gap/",
                "type": ["Achievement"],
                "name": "Closing the gap",
                "description": "Six hours.",
                "criteria": {"narrative": "Completed."},
            },
        },
        "credentialStatus": {
            "id": "http://testserver/credentials/status/1/#5",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "5",
            "statusListCredential": "http://testserver/credentials/status/1/",
        },
    }
    document.update(changes)
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(issuer.sign(document)))
    return path


def run(*args):
    out = io.StringIO()
    try:
        call_command("verify_credential", *map(str, args), stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue()


def test_the_command_checks_a_credential_without_a_database(tmp_path):
    code, out = run(signed_file(tmp_path))
    assert "PASS  Signature" in out
    assert "PASS  Issuer key" in out
    assert "SKIP  Status: Not checked: no status list was given." in out
    assert "NOT FULLY CHECKED" in out
    assert code == 1


def test_the_command_reads_a_status_list_file(tmp_path):
    status = issuer.sign(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "http://testserver/credentials/status/1/",
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer.issuer_did(),
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {
                "id": "http://testserver/credentials/status/1/#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": statuslist.encode([5]),
            },
        }
    )
    status_path = tmp_path / "status.json"
    status_path.write_text(json.dumps(status))
    code, out = run(signed_file(tmp_path), "--status-list", status_path)
    assert "FAIL  Status: Revoked" in out
    assert "NOT VALID" in out and code == 1


def test_the_command_fails_a_tampered_file_and_an_expired_one(tmp_path):
    path = signed_file(tmp_path, validUntil="2026-06-01T00:00:00Z")
    code, out = run(path)
    assert "FAIL  Validity period: Expired on 2026-06-01" in out
    document = json.loads(path.read_text())
    document["credentialSubject"]["name"] = "Maya Chem"
    path.write_text(json.dumps(document))
    code, out = run(path)
    assert "FAIL  Signature" in out and code == 1


def test_the_command_verifies_a_baked_badge(tmp_path):
    path = signed_file(tmp_path)
    badge = tmp_path / "badge.png"
    badge.write_bytes(baking.bake(png(), path.read_text()))
    code, out = run(badge)
    assert "PASS  Signature" in out
