"""Digitally signed certificate PDFs: PAdES baseline B-B with pyHanko, so PDF readers show
who signed the file and that it has not been changed since.

The signature is an incremental update: the tagged structure (PDF/UA-1), /Lang, the
title and the attached credential.json are left exactly as WeasyPrint wrote them.

Which certificate signs: PDF_SIGNING_KEY and PDF_SIGNING_CERT (PEM files; add
PDF_SIGNING_CHAIN for a CA's intermediates) for a certificate from a trusted authority
(docs/certificates.md says how). Without them a self-signed certificate for the
organisation is made once in ISSUER_KEY_DIR: readers then show "signed, not changed, but
the signer's identity is not trusted", which is right for a demo.
"""

from __future__ import annotations

import datetime
import io
import threading
from functools import lru_cache
from pathlib import Path

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from core.models import organisation_name

SELF_SIGNED_KEY = "pdf-signing-key.pem"
SELF_SIGNED_CERT = "pdf-signing-cert.pem"
_lock = threading.Lock()


def _paths() -> tuple[Path, Path, list[Path]]:
    if settings.PDF_SIGNING_KEY and settings.PDF_SIGNING_CERT:
        chain = [Path(p) for p in settings.PDF_SIGNING_CHAIN]
        return Path(settings.PDF_SIGNING_KEY), Path(settings.PDF_SIGNING_CERT), chain
    directory = Path(settings.ISSUER_KEY_DIR)
    key_path, cert_path = directory / SELF_SIGNED_KEY, directory / SELF_SIGNED_CERT
    with _lock:
        if not cert_path.exists():
            _make_self_signed(key_path, cert_path)
    return key_path, cert_path, []


def _make_self_signed(key_path: Path, cert_path: Path) -> None:
    """A demo signing certificate: P-256, ten years, the organisation as subject."""
    key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, organisation_name()[:64]),
            x509.NameAttribute(
                NameOID.ORGANIZATIONAL_UNIT_NAME, "Certificate signing (self-signed)"
            ),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key_path.touch(mode=0o600)
    key_path.write_bytes(key_bytes)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


# The signed attributes a PAdES B-B container of ours holds. All but the message digest are
# the same for every PDF (pyHanko leaves the signing time out of them for PAdES: it goes in
# the signature dictionary's /M).
CONSTANT_SIGNED_ATTRIBUTES = {"content_type", "signing_certificate_v2", "cms_algorithm_protection"}


class PrebuiltContainerSigner(signers.SimpleSigner):
    """pyHanko's signer, with the CMS container built once per digest algorithm.

    Building the container with asn1crypto (certificates, signer identifier, signed
    attributes) took about three quarters of a PDF signature's time, yet for our PAdES
    signatures without a timestamp it differs from one PDF to the next only in the
    document's digest and the signature value. So pyHanko builds it once, and each
    signature puts its digest in and signs the signed attributes as pyHanko does (their DER
    as a SET OF, RFC 5652 section 5.4). Any other kind of call goes to pyHanko unchanged.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._containers: dict[str, bytes | None] = {}
        # pyHanko loads the private key from its DER for every signature, and for an RSA
        # key that runs OpenSSL's key check each time: tens of milliseconds for 2048 bits,
        # half a second for 4096 on this machine. Loaded once here instead.
        self._private_key = serialization.load_der_private_key(
            self.signing_key.dump(), password=None
        )

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._private_key, RSAPrivateKey):
            return self._private_key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa" and isinstance(self._private_key, EllipticCurvePrivateKey):
            return self._private_key.sign(data, ec.ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)

    async def async_sign(
        self,
        data_digest,
        digest_algorithm,
        dry_run=False,
        use_pades=False,
        timestamper=None,
        signed_attr_settings=None,
        is_pdf_sig=True,
        encap_content_info=None,
    ):
        plain = (
            use_pades
            and is_pdf_sig
            and not dry_run
            and timestamper is None
            and encap_content_info is None
            and getattr(signed_attr_settings, "cades_signed_attrs", None) is None
            and getattr(signed_attr_settings, "adobe_revinfo_attr", None) is None
        )
        template = await self._container(digest_algorithm, signed_attr_settings) if plain else None
        if template is None:
            return await super().async_sign(
                data_digest,
                digest_algorithm,
                dry_run=dry_run,
                use_pades=use_pades,
                timestamper=timestamper,
                signed_attr_settings=signed_attr_settings,
                is_pdf_sig=is_pdf_sig,
                encap_content_info=encap_content_info,
            )
        container = cms.ContentInfo.load(template)
        signer_info = container["content"]["signer_infos"][0]
        signed_attrs = signer_info["signed_attrs"]
        for attribute in signed_attrs:
            if attribute["type"].native == "message_digest":
                attribute["values"] = [data_digest]
        signer_info["signature"] = await self.async_sign_raw(
            signed_attrs.untag().dump(), digest_algorithm.lower()
        )
        return container

    async def _container(self, digest_algorithm, signed_attr_settings) -> bytes | None:
        """pyHanko's container for a placeholder digest, or None when it holds an attribute
        that would differ between signatures (then every signature is built in full)."""
        if digest_algorithm not in self._containers:
            built = await super().async_sign(
                bytes(32),  # a placeholder digest: each signature puts its own in
                digest_algorithm,
                use_pades=True,
                signed_attr_settings=signed_attr_settings,
            )
            signer_info = built["content"]["signer_infos"][0]
            kinds = {attribute["type"].native for attribute in signer_info["signed_attrs"]}
            constant = kinds - {"message_digest"} <= CONSTANT_SIGNED_ATTRIBUTES
            usable = "message_digest" in kinds and constant
            usable = usable and not signer_info["unsigned_attrs"].native
            self._containers[digest_algorithm] = built.dump() if usable else None
        return self._containers[digest_algorithm]


@lru_cache(maxsize=4)
def _signer(
    key_path: str, cert_path: str, chain: tuple[str, ...], mtime: int
) -> tuple[signers.Signer, int]:
    plain = signers.SimpleSigner.load(key_path, cert_path, ca_chain_files=chain)
    loaded = PrebuiltContainerSigner(
        signing_cert=plain.signing_cert,
        signing_key=plain.signing_key,
        cert_registry=plain.cert_registry,
    )
    return loaded, _room_for_signature(loaded)


def _room_for_signature(loaded: signers.Signer) -> int:
    """How much room to leave in the PDF for the CMS signature, in hex digits (two a byte).

    Left to itself, pyHanko builds and throws away a whole dummy signature on every call to
    measure this: about a third of the signing time. The container holds the certificates
    plus the signer info, the signed attributes and the signature (under 2 KB even with an
    RSA-4096 key), so the certificates plus 4 KB always fit.
    """
    certificates = [loaded.signing_cert, *loaded.cert_registry]
    return 2 * (sum(len(certificate.dump()) for certificate in certificates) + 4096)


def _loaded_signer() -> tuple[signers.Signer, int]:
    key_path, cert_path, chain = _paths()
    return _signer(
        str(key_path), str(cert_path), tuple(map(str, chain)), cert_path.stat().st_mtime_ns
    )


def signer() -> signers.Signer:
    return _loaded_signer()[0]


def signing_certificate_path() -> Path:
    return _paths()[1]


def signing_certificates() -> list[bytes]:
    """The certificates (DER) whose PDF signatures /verify/ and verify_credential accept as
    ours: the configured one, and the self-signed one if it was ever made, so PDFs signed
    before the move to an authority's certificate still check. Makes none."""
    paths = [Path(settings.ISSUER_KEY_DIR) / SELF_SIGNED_CERT]
    if settings.PDF_SIGNING_CERT:
        paths.insert(0, Path(settings.PDF_SIGNING_CERT))
    found = []
    for path in paths:
        try:
            found.append(x509.load_pem_x509_certificate(path.read_bytes()))
        except (OSError, ValueError):
            continue
    return [certificate.public_bytes(serialization.Encoding.DER) for certificate in found]


def sign_pdf(content: bytes, *, reason: str, location: str = "") -> bytes:
    """The PDF with an invisible PAdES B-B signature (SHA-256), as an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name="CertificateSignature",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location or None,
    )
    output = io.BytesIO()
    loaded, room = _loaded_signer()
    signers.PdfSigner(metadata, signer=loaded).sign_pdf(writer, output=output, bytes_reserved=room)
    return output.getvalue()
