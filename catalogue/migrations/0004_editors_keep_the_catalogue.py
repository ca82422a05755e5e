from django.contrib.auth.management import create_permissions
from django.db import migrations

# Archivists in the Editors group keep the catalogue: they import, describe and
# decide access. Deleting records and managing repositories stay with
# administrators.
EDITOR_PERMISSIONS = ["add_record", "change_record", "add_importjob", "view_importjob"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("catalogue")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="catalogue", codename__in=EDITOR_PERMISSIONS
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *editors.permissions.filter(
                content_type__app_label="catalogue", codename__in=EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_import_jobs_private_files"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
