"""Create the three roles. PD administrators get the Wagtail admin and full page rights."""

from django.db import migrations

ROLES = ("Teachers", "Coaches", "PD Administrators")
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    for name in ROLES:
        Group.objects.get_or_create(name=name)
    admins = Group.objects.get(name="PD Administrators")

    admin_ct, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_ct, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    admins.permissions.add(access_admin)

    root = Page.objects.filter(depth=1).first()
    page_ct, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    if root is None:
        return
    for codename in PAGE_PERMISSIONS:
        permission = Permission.objects.filter(content_type=page_ct, codename=codename).first()
        if permission is not None:
            GroupPagePermission.objects.get_or_create(group=admins, page=root, permission=permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pdsite", "0002_homepage_sitebranding"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
