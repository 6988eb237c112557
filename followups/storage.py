"""Where evidence files are kept: the STORAGES alias "evidence", private like certificate
PDFs (certificates/storage.py says why nothing personal goes under MEDIA_ROOT).

Any Django storage backend works here, S3-compatible ones included (see
docs/follow-through.md); files reach people only through followups.views.evidence_file,
which asks followups.permissions first.
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

ALIAS = "evidence"


class _EvidenceStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[ALIAS]


evidence_storage = _EvidenceStorage()


def get_evidence_storage():
    """Evidence.file's storage, read from STORAGES when first used (migrations name this
    callable, not a backend)."""
    return evidence_storage


@receiver(setting_changed)
def _forget_backend(*, setting, **kwargs):
    if setting == "STORAGES":
        evidence_storage._wrapped = empty


def random_evidence_name(instance, filename) -> str:
    """128 random bits and the checked extension; nothing from the teacher's file name."""
    return f"evidence/{secrets.token_urlsafe(16)}.{instance.extension}"


@register(Tags.security)
def check_evidence_storage_is_private(app_configs, **kwargs):
    """Refuse to start when the evidence folder was put inside MEDIA_ROOT."""
    backend = storages[ALIAS]
    if not isinstance(backend, FileSystemStorage) or not settings.MEDIA_ROOT:
        return []
    if Path(backend.location).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        return [
            Error(
                "Evidence files would be stored inside MEDIA_ROOT, where anyone can "
                "download them.",
                hint="Set PRIVATE_MEDIA_ROOT to a folder outside MEDIA_ROOT.",
                obj=f"STORAGES[{ALIAS!r}]",
                id="followups.E001",
            )
        ]
    return []
