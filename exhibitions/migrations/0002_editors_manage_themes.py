from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors (Wagtail's group) curate exhibitions and collections, so they keep
# the themes those pages are filed under.
ACTIONS = ["add", "change", "delete"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("exhibitions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is None:
        return
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="exhibitions",
            codename__in=[f"{action}_theme" for action in ACTIONS],
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *editors.permissions.filter(
                content_type__app_label="exhibitions", content_type__model="theme"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("exhibitions", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
