"""Certificate PDFs are private files (issue 19, item 5): nothing under MEDIA_URL serves them,
their names cannot be guessed from the code printed on the paper, and only the
permission-checked download view hands them out, never for a revoked certificate."""

import importlib

import pytest
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.certificates.media_urls")]


@pytest.fixture
def on_disk(settings, tmp_path):
    """Files on disk as in production: MEDIA_ROOT served to anyone (tests/certificates/
    media_urls.py), the certificate storage where the settings put it."""
    factories.files_on_disk(settings, tmp_path)
    return tmp_path


@pytest.fixture
def mine(credit_course):
    return factories.certificate(credit_course, user=factories.teacher(full_name="Maya Chen"))


def pdf_url(certificate):
    return reverse("certificates:pdf", args=[certificate.pk])


def downloaded(client, certificate) -> bytes:
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def media_paths(certificate) -> list[str]:
    """Where an outsider would look: the stored name, and the old predictable one."""
    return [
        f"/media/{certificate.pdf.name}",
        f"/media/certificates/certificate-{certificate.code}.pdf",
    ]


def test_no_media_url_serves_a_certificate_pdf(client, on_disk, mine):
    default_storage.save("images/logo.png", ContentFile(b"public image"))
    assert client.get("/media/images/logo.png").status_code == 200  # media is served here
    client.force_login(mine.user)
    pdf = downloaded(client, mine)
    mine.refresh_from_db()
    client.logout()
    for path in media_paths(mine):
        assert client.get(path).status_code == 404, path
    assert not list((on_disk / "media").rglob("*.pdf"))
    assert [path.read_bytes() for path in (on_disk / "private").rglob("*.pdf")] == [pdf]


def test_the_stored_file_name_is_random_and_has_no_url(on_disk, credit_course):
    first, second = (factories.certificate(credit_course) for _ in range(2))
    names = [services.ensure_pdf(certificate=c).pdf.name for c in (first, second)]
    for certificate, name in zip((first, second), names, strict=True):
        assert certificate.code not in name
        assert certificate.code.replace("-", "") not in name.replace("-", "")
        assert str(certificate.pk) not in name and certificate.pk.hex not in name
        assert len(name.removeprefix("certificates/").removesuffix(".pdf")) >= 20
    assert names[0] != names[1]
    with pytest.raises(ValueError, match="no URL"):
        _link = first.pdf.url


def test_the_owner_and_a_pd_admin_download_it_and_nobody_else(client, on_disk, mine):
    client.force_login(mine.user)
    pdf = downloaded(client, mine)
    client.force_login(factories.pd_admin())
    assert downloaded(client, mine) == pdf
    for outsider in (factories.teacher(), factories.coach()):
        client.force_login(outsider)
        assert client.get(pdf_url(mine)).status_code == 404
    client.logout()
    assert client.get(pdf_url(mine)).status_code == 404


def test_a_revoked_certificate_has_no_pdf_for_anyone(
    client, on_disk, mine, django_capture_on_commit_callbacks
):
    client.force_login(mine.user)
    downloaded(client, mine)
    mine.refresh_from_db()
    stored = mine.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(
            certificate=mine, revoked_by=factories.pd_admin(), reason="Duplicate account"
        )
    for user in (mine.user, factories.pd_admin()):
        client.force_login(user)
        assert client.get(pdf_url(mine)).status_code == 404
    client.logout()
    for path in [f"/media/{stored}", *media_paths(mine)]:
        assert client.get(path).status_code == 404
    assert not mine.pdf.storage.exists(stored)
    assert not list(on_disk.rglob("*.pdf"))
    # The public page still says what happened.
    assert "Revoked on" in client.get(reverse("certificates:verify", args=[mine.code])).text


def test_a_render_queued_before_the_revocation_stores_nothing(on_disk, mine):
    from certificates.rendering import render_certificate

    content = render_certificate(mine)  # the worker was half way through when it was revoked
    services.revoke_certificate(certificate=mine, revoked_by=None, reason="Duplicate account")
    services.store_pdf(certificate=mine, content=content)
    mine.refresh_from_db()
    assert not mine.pdf
    assert not list(on_disk.rglob("*.pdf"))


def test_a_download_racing_a_revocation_gets_404_and_stores_nothing(
    client, on_disk, mine, monkeypatch
):
    from certificates import rendering

    render = rendering.render_certificate

    def revoked_meanwhile(certificate):
        content = render(certificate)
        services.revoke_certificate(certificate=certificate, revoked_by=None, reason="Duplicate")
        return content

    monkeypatch.setattr(rendering, "render_certificate", revoked_meanwhile)
    client.force_login(mine.user)
    assert client.get(pdf_url(mine)).status_code == 404
    assert not list(on_disk.rglob("*.pdf"))


def test_the_migration_moves_old_public_pdfs_out_of_media(client, on_disk, credit_course):
    kept = factories.certificate(credit_course)
    revoked = factories.certificate(credit_course)
    lost = factories.certificate(credit_course)  # its file went missing before the move
    for certificate in (kept, revoked):
        name = default_storage.save(
            f"certificates/certificate-{certificate.code}.pdf", ContentFile(b"%PDF old render")
        )
        Certificate.objects.filter(pk=certificate.pk).update(pdf=name)
    Certificate.objects.filter(pk=lost.pk).update(pdf=f"certificates/certificate-{lost.code}.pdf")
    Certificate.objects.filter(pk=revoked.pk).update(status="revoked")
    migration = importlib.import_module("certificates.migrations.0005_move_pdfs_out_of_media")
    from django.apps import apps

    migration.move_pdfs_out_of_media(apps, None)
    migration.move_pdfs_out_of_media(apps, None)  # a second run changes nothing

    for certificate in (kept, revoked, lost):
        certificate.refresh_from_db()
        assert (
            client.get(f"/media/certificates/certificate-{certificate.code}.pdf").status_code == 404
        )
    assert not list((on_disk / "media").rglob("*.pdf"))
    assert kept.code not in kept.pdf.name
    assert kept.pdf.open().read() == b"%PDF old render"
    assert not revoked.pdf and not lost.pdf
    client.force_login(kept.user)
    assert downloaded(client, kept) == b"%PDF old render"  # the very file issued, not a re-render
    client.force_login(lost.user)
    assert downloaded(client, lost).startswith(b"%PDF")  # rendered again on first use


def test_the_site_refuses_to_start_with_certificates_inside_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "certificates": {
            "BACKEND": "certificates.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media" / "private"},
        },
    }
    assert "certificates.E001" in [message.id for message in run_checks()]
    settings.STORAGES = {
        **settings.STORAGES,
        "certificates": {
            "BACKEND": "certificates.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    assert "certificates.E001" not in [message.id for message in run_checks()]
