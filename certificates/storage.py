"""Where certificate PDFs are kept: a storage of their own, outside MEDIA_ROOT, with no URL.

Everything under MEDIA_ROOT is handed out to anyone who asks (by the web server in
production, by pdsite/urls.py under DEBUG). A certificate names a person and their credit,
so its PDF lives in the STORAGES alias "certificates" instead, under a random name, and
reaches people only through certificates.views.certificate_pdf, which asks
certificates.permissions first.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

ALIAS = "certificates"


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage whose files have no URL.

    FileSystemStorage falls back to MEDIA_URL when base_url is None, so `pdf.url` would
    print /media/... links; here it fails loudly instead.
    """

    def url(self, name):
        raise ValueError("Certificate files have no URL: link to the certificate's download view.")


class _CertificateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[ALIAS]


certificate_storage = _CertificateStorage()


def get_certificate_storage():
    """Certificate.pdf's storage. A callable, so migrations name this function rather than
    a backend, and the backend is read from STORAGES when first used."""
    return certificate_storage


@receiver(setting_changed)
def _forget_backend(*, setting, **kwargs):
    # As Django does for default_storage: a test that overrides STORAGES gets its backend.
    if setting == "STORAGES":
        certificate_storage._wrapped = empty


def random_pdf_name(instance, filename) -> str:
    """Certificate.pdf's upload_to: 128 random bits, nothing taken from the certificate.

    The verification code is printed on the certificate and in its QR code, so a file name
    made from it could be guessed by anyone who has seen the paper.
    """
    return f"certificates/{secrets.token_urlsafe(16)}.pdf"


@register(Tags.security)
def check_certificate_storage_is_private(app_configs, **kwargs):
    """Refuse to start when PRIVATE_MEDIA_ROOT was pointed inside MEDIA_ROOT."""
    backend = storages[ALIAS]
    if not isinstance(backend, FileSystemStorage) or not settings.MEDIA_ROOT:
        return []
    location = Path(backend.location).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if location.is_relative_to(media_root):
        return [
            Error(
                "Certificate PDFs would be stored inside MEDIA_ROOT, where anyone can "
                "download them.",
                hint="Set PRIVATE_MEDIA_ROOT to a folder outside MEDIA_ROOT.",
                obj=f"STORAGES[{ALIAS!r}]",
                id="certificates.E001",
            )
        ]
    return []
