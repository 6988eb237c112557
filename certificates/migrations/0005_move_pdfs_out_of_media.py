"""Move the certificate PDFs stored before 0004 out of MEDIA_ROOT, where anyone could download
them by their predictable names, into the private "certificates" storage under random names.
Revoked certificates' files are deleted, not moved.

Not atomic: each certificate is copied, repointed, and its public file deleted in turn, so a
run that stops half way leaves every row pointing at a file that exists and can simply run
again (rows already moved are skipped). A row whose file is missing is emptied: the download
view renders it again on first use.
"""

from django.core.files.storage import storages
from django.db import migrations

from certificates.storage import ALIAS, random_pdf_name


def move_pdfs_out_of_media(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    rows = list(Certificate.objects.exclude(pdf="").values_list("pk", "pdf", "status"))
    if not rows:
        return
    public, private = storages["default"], storages[ALIAS]
    for pk, name, status in rows:
        if private.exists(name):
            continue  # stored privately already
        moved = ""
        if status != "revoked" and public.exists(name):
            with public.open(name, "rb") as handle:
                moved = private.save(random_pdf_name(None, name), handle)
        Certificate.objects.filter(pk=pk).update(pdf=moved)
        if public.exists(name):
            public.delete(name)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("certificates", "0004_pdf_private_storage"),
    ]

    operations = [
        migrations.RunPython(move_pdfs_out_of_media, migrations.RunPython.noop, elidable=True),
    ]
