"""Check a credential someone hands us (JSON text, a baked PNG or a certificate PDF) and say
what each check found. Used by the /verify/ page and by `manage.py verify_credential`.

No database here: the caller passes our DID document (issuer.did_document()) and a
``check_status(entry)`` that answers from the status list (the web page reads the same
function that serves the list; the command line reads a downloaded list file, or says
the status was not checked). Bad input of any kind becomes a failed check, never an
exception.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from . import issuer
from .vc import baking, dataintegrity, statuslist
from .vc.canonical import VC_V2, CanonicalisationError

# A credential is a few KB, a baked badge or a certificate PDF a few hundred.
MAX_BYTES = 2_000_000
CREDENTIAL_ATTACHMENT = "credential.json"  # its name inside certificate PDFs

PASS, FAIL, SKIP = "pass", "fail", "skip"

# The checks, in the order the page lists them.
CHECK_NAMES = {
    "format": gettext_lazy("Readable credential"),
    "pdf": gettext_lazy("PDF signature"),
    "issuer": gettext_lazy("Issuer key"),
    "proof": gettext_lazy("Signature"),
    "status": gettext_lazy("Status"),
    "period": gettext_lazy("Validity period"),
}


@dataclass
class Check:
    key: str
    state: str
    message: str

    @property
    def name(self) -> str:
        return str(CHECK_NAMES[self.key])

    @property
    def passed(self) -> bool:
        return self.state == PASS


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    credential: dict | None = None

    def add(self, key, state, message) -> Check:
        check = Check(key, state, message)
        self.checks.append(check)
        return check

    def passed(self, key: str) -> bool:
        return any(check.key == key and check.passed for check in self.checks)

    @property
    def verdict(self) -> str:
        """ "valid", "invalid" or "unchecked" (status could not be checked)."""
        if not self.checks or any(check.state == FAIL for check in self.checks):
            return "invalid"
        if any(check.state == SKIP for check in self.checks):
            return "unchecked"
        return "valid"

    @property
    def summary(self) -> dict:
        """What the credential says, for display once it is parsed (even if it fails)."""
        data = self.credential or {}
        subject = data.get("credentialSubject") if isinstance(data, dict) else None
        subject = subject if isinstance(subject, dict) else {}
        achievement = subject.get("achievement")
        achievement = achievement if isinstance(achievement, dict) else {}
        issuer_value = data.get("issuer")
        return {
            "id": _text(data.get("id")),
            "name": _text(subject.get("name")),
            "course": _text(achievement.get("name") or data.get("name")),
            "hours": subject.get("creditsEarned"),
            "issuer": _text(
                issuer_value.get("name") if isinstance(issuer_value, dict) else issuer_value
            ),
            "valid_from": _text(data.get("validFrom")),
            "valid_until": _text(data.get("validUntil")),
        }


def _text(value) -> str:
    return value if isinstance(value, str) else ""


StatusCheck = Callable[[dict], tuple[str, str]]


def parse(raw: bytes, report: Report) -> dict | None:
    name = "format"
    if len(raw) > MAX_BYTES:
        report.add(
            name,
            FAIL,
            _("The file is too large (%(size)s); a credential is at most 2 MB.")
            % {"size": _size(len(raw))},
        )
        return None
    if not raw.strip():
        report.add(name, FAIL, _("Nothing was uploaded or pasted."))
        return None
    if is_pdf(raw):
        try:
            text = pdf_credential(raw)
        except ValueError as error:
            report.add(name, FAIL, _("Certificate PDF: %(error)s.") % {"error": error})
            return None
    elif raw.startswith(baking.PNG_SIGNATURE):
        try:
            text = baking.extract(raw)
        except baking.BakingError as error:
            report.add(name, FAIL, _("Badge image: %(error)s.") % {"error": error})
            return None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.add(name, FAIL, _("This is neither JSON text nor a PNG badge."))
            return None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        report.add(name, FAIL, _("This is not JSON: check that the whole credential was pasted."))
        return None
    if not isinstance(document, dict):
        report.add(name, FAIL, _("This is JSON, but not a credential (it is not an object)."))
        return None
    contexts = document.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    if "@context" not in document:
        report.add(name, FAIL, _("This is JSON but not JSON-LD: it has no @context."))
        return None
    if not contexts or contexts[0] != VC_V2 or "VerifiableCredential" not in _types(document):
        report.add(name, FAIL, _("This is not a W3C Verifiable Credential (version 2.0)."))
        return None
    report.credential = document
    report.add(
        name,
        PASS,
        _("An Open Badges credential, read in full.")
        if "OpenBadgeCredential" in _types(document)
        else _("A Verifiable Credential, read in full."),
    )
    return document


def pdf_credential(raw: bytes) -> str:
    """The credential.json attached to a certificate PDF (certificates.rendering)."""
    try:
        found = PdfReader(io.BytesIO(raw)).attachments.get(CREDENTIAL_ATTACHMENT) or []
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on a damaged file
        raise ValueError(_("the file cannot be read as a PDF")) from error
    if not found:
        raise ValueError(_("it has no credential.json attached"))
    if len(found) > 1:
        raise ValueError(_("it has more than one credential.json attached"))
    try:
        return found[0].decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(_("its credential.json is not UTF-8 text")) from error


def is_pdf(raw: bytes) -> bool:
    return raw.startswith(b"%PDF-")


def _check_pdf_signature(raw: bytes, signers: Collection[bytes], report: Report) -> None:
    """The PDF is signed by one of our signing certificates and not a byte has changed or
    been added since (pdf_signing signs the whole file, once)."""
    name = "pdf"
    try:
        signatures = PdfFileReader(io.BytesIO(raw), strict=False).embedded_signatures
        if len(signatures) != 1:
            report.add(
                name,
                FAIL,
                _("The PDF carries no digital signature.")
                if not signatures
                else _("The PDF carries more than one digital signature; ours carry one."),
            )
            return
        (signature,) = signatures
        # Our certificates are the trust roots: nothing is fetched, and pyHanko does not log
        # a failed path search for a signer we vouch for.
        roots = [asn1_x509.Certificate.load(der) for der in signers]
        status = validate_pdf_signature(
            signature, ValidationContext(trust_roots=roots, allow_fetching=False), skip_diff=True
        )
        subject = signature.signer_cert.subject
        signer = subject.native.get("common_name") or subject.human_friendly
        ours = signature.signer_cert.dump() in signers
    except Exception:  # noqa: BLE001 - pyHanko raises many kinds on a damaged file
        report.add(name, FAIL, _("The PDF's digital signature cannot be read."))
        return
    if not (status.intact and status.valid):
        report.add(name, FAIL, _("The PDF was changed after it was signed."))
    elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        report.add(name, FAIL, _("Something was added to the PDF after it was signed."))
    elif not ours:
        report.add(
            name,
            FAIL,
            _("Signed by a certificate we do not sign with (%(signer)s).") % {"signer": signer},
        )
    else:
        report.add(
            name,
            PASS,
            _("Signed by %(signer)s, and not one byte changed since.") % {"signer": signer},
        )


def _types(document: dict) -> list:
    value = document.get("type")
    return value if isinstance(value, list) else [value]


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count / 1000:.0f} KB"


def verify(
    raw: bytes,
    *,
    did_document: dict,
    check_status: StatusCheck | None,
    now: datetime.datetime,
    pdf_signers: Collection[bytes] = (),
) -> Report:
    """Every check of a credential; for a certificate PDF, first its PAdES signature by one
    of ``pdf_signers`` (DER certificates), since the credential inside it vouches for the
    attachment only, not for what the pages print."""
    report = Report()
    document = parse(raw, report)
    if document is None:
        return report
    if is_pdf(raw):
        _check_pdf_signature(raw, pdf_signers, report)
    _check_issuer_and_proof(document, did_document, report)
    _check_status(document, check_status, report)
    _check_period(document, now, report)
    return report


def _check_issuer_and_proof(document: dict, did_document: dict, report: Report) -> None:
    key_name, proof_name = "issuer", "proof"
    issuer_value = document.get("issuer")
    issuer_id = issuer_value.get("id") if isinstance(issuer_value, dict) else issuer_value
    if issuer_id != did_document["id"]:
        report.add(
            key_name,
            FAIL,
            _(
                "Issued by %(other)s, not by this site (%(ours)s): only "
                "that issuer can vouch for it."
            )
            % {"other": issuer_id or _("nobody named"), "ours": did_document["id"]},
        )
        report.add(proof_name, SKIP, _("Not checked: the credential is not ours."))
        return
    try:
        proof = dataintegrity.proof_of(document)
    except dataintegrity.ProofError as error:
        report.add(key_name, SKIP, _("Not checked: there is no usable proof."))
        report.add(proof_name, FAIL, str(error).capitalize() + ".")
        return
    try:
        public_key = issuer.key_resolver(did_document)(proof["verificationMethod"])
    except dataintegrity.ProofError as error:
        report.add(key_name, FAIL, str(error).capitalize() + ".")
        report.add(proof_name, SKIP, _("Not checked: the key is not one of ours."))
        return
    report.add(key_name, PASS, _("Signed with a key this site publishes in did.json."))
    try:
        dataintegrity.verify(document, resolve_key=lambda _method: public_key)
    except dataintegrity.ProofError as error:
        report.add(proof_name, FAIL, str(error).capitalize() + ".")
    except CanonicalisationError as error:
        report.add(
            proof_name,
            FAIL,
            _(
                "The credential uses a term no context defines (%(error)s), "
                "so the signature cannot cover it."
            )
            % {"error": error},
        )
    else:
        report.add(
            proof_name,
            PASS,
            _("The eddsa-rdfc-2022 signature matches: nothing was changed since it was signed."),
        )


def status_entry(document: dict) -> dict | None:
    entry = document.get("credentialStatus")
    if isinstance(entry, list) and len(entry) == 1:
        entry = entry[0]
    if (
        isinstance(entry, dict)
        and entry.get("type") == "BitstringStatusListEntry"
        and entry.get("statusPurpose") == "revocation"
        and isinstance(entry.get("statusListCredential"), str)
        and str(entry.get("statusListIndex", "")).isdigit()
    ):
        return entry
    return None


def _check_status(document: dict, check_status: StatusCheck | None, report: Report) -> None:
    name = "status"
    entry = status_entry(document)
    if entry is None:
        report.add(name, FAIL, _("The credential names no revocation status list."))
    elif check_status is None:
        report.add(name, SKIP, _("Not checked: no status list was given."))
    else:
        report.add(name, *check_status(entry))


def status_from_list(entry: dict, list_document: dict, did_document: dict) -> tuple[str, str]:
    """Read a bit from a BitstringStatusListCredential (verifying the list's own proof)."""
    if list_document.get("id") != entry["statusListCredential"]:
        return FAIL, _("The status list given is not the one the credential names.")
    try:
        dataintegrity.verify(list_document, resolve_key=issuer.key_resolver(did_document))
        subject = list_document["credentialSubject"]
        bits = statuslist.decode(subject["encodedList"])
        revoked = statuslist.bit(bits, int(entry["statusListIndex"]))
    except (
        dataintegrity.ProofError,
        CanonicalisationError,
        statuslist.StatusListError,
        KeyError,
        TypeError,
    ) as error:
        return FAIL, _("The status list could not be read: %(error)s.") % {"error": error}
    return status_message(revoked)


def status_message(revoked: bool) -> tuple[str, str]:
    if revoked:
        return FAIL, _(
            "Revoked: the issuer withdrew this credential (or replaced it with a re-issued one)."
        )
    return PASS, _("Not revoked: the issuer's status list shows it in force.")


def _parse_time(value) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def _check_period(document: dict, now: datetime.datetime, report: Report) -> None:
    name = "period"
    valid_from = _parse_time(document.get("validFrom"))
    if valid_from is None:
        report.add(name, FAIL, _("The credential has no readable validFrom date."))
        return
    if now < valid_from:
        report.add(
            name, FAIL, _("Not valid yet: valid from %(date)s.") % {"date": valid_from.date()}
        )
        return
    if "validUntil" in document:
        valid_until = _parse_time(document.get("validUntil"))
        if valid_until is None:
            report.add(name, FAIL, _("The validUntil date cannot be read."))
            return
        if now > valid_until:
            report.add(
                name,
                FAIL,
                _(
                    "Expired on %(date)s (expired, not revoked: the credit was "
                    "earned but is no longer current)."
                )
                % {"date": valid_until.date()},
            )
            return
        report.add(
            name,
            PASS,
            _("Valid from %(start)s until %(end)s.")
            % {"start": valid_from.date(), "end": valid_until.date()},
        )
        return
    report.add(
        name, PASS, _("Valid from %(start)s, with no end date.") % {"start": valid_from.date()}
    )
