"""Copy each site's certificate settings and site branding into the one Organisation
setting, and let PD administrators edit it (as they could edit the certificate settings).

Where a site had both, the certificate settings win: their name was the one printed;
SiteBranding was read nowhere. SiteBranding's tagline was read nowhere and is not kept.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DEFAULT_NAME = "PD Courses"
FIELDS = ("signatory_name", "signatory_title", "logo_id", "signature_id", "page_size")


def copy_settings(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    CertificateSettings = apps.get_model("certificates", "CertificateSettings")
    SiteBranding = apps.get_model("pdsite", "SiteBranding")

    certificate_rows = {row.site_id: row for row in CertificateSettings.objects.all()}
    branding_rows = {row.site_id: row for row in SiteBranding.objects.all()}
    for site_id in certificate_rows.keys() | branding_rows.keys():
        certificate, branding = certificate_rows.get(site_id), branding_rows.get(site_id)
        values = {}
        if branding is not None:
            values["name"] = branding.organisation_name
            values["accent_colour"] = branding.accent_colour
        if certificate is not None:
            if certificate.organisation_name != DEFAULT_NAME or "name" not in values:
                values["name"] = certificate.organisation_name
            values["accent_colour"] = certificate.accent_colour
            values.update({field: getattr(certificate, field) for field in FIELDS})
        Organisation.objects.update_or_create(site_id=site_id, defaults=values)


def copy_back(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    CertificateSettings = apps.get_model("certificates", "CertificateSettings")
    SiteBranding = apps.get_model("pdsite", "SiteBranding")
    for row in Organisation.objects.all():
        CertificateSettings.objects.update_or_create(
            site_id=row.site_id,
            defaults={
                "organisation_name": row.name,
                "accent_colour": row.accent_colour,
                **{field: getattr(row, field) for field in FIELDS},
            },
        )
        SiteBranding.objects.update_or_create(
            site_id=row.site_id,
            defaults={"organisation_name": row.name, "accent_colour": row.accent_colour},
        )


def grant(apps, schema_editor):
    app_config = apps.get_app_config("core")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="PD Administrators")
    for action in ("change", "view"):
        permission = Permission.objects.filter(
            content_type__app_label="core", codename=f"{action}_organisation"
        ).first()
        if permission is not None:
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_organisation"),
        ("certificates", "0003_pd_admin_permissions"),
        ("pdsite", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_settings, copy_back),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
