"""PD administrators manage credit types and the certificate settings in the Wagtail admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "credittype": ("add", "change", "delete", "view"),
    "certificatesettings": ("change", "view"),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("certificates")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="PD Administrators")
    for model, actions in GRANTS.items():
        for action in actions:
            permission = Permission.objects.filter(
                content_type__app_label="certificates", codename=f"{action}_{model}"
            ).first()
            if permission is not None:
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_certificates_and_credit_requests"),
        ("pdsite", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
