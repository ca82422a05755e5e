"""新开放档案: the day each record entered the public (catalogue/opening.py).

Which day an existing public record opened was not kept: the day it was
written into the catalogue stands for it, or its opening date when that came
later (a record still waiting gets the day it will open).
"""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import TruncDate


def date_existing_records(apps, schema_editor):
    Record = apps.get_model("catalogue", "Record")
    Record.objects.filter(gate_open=True).update(opened_on=TruncDate("created_at"))
    Record.objects.filter(gate_open=True, gate_opens_on__gt=F("opened_on")).update(
        opened_on=F("gate_opens_on")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0010_harvesting"),
    ]

    operations = [
        migrations.AddField(
            model_name="record",
            name="opened_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(date_existing_records, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(
                fields=[
                    "gate_open",
                    "opened_on",
                    "repository",
                    "reference_code",
                    "gate_opens_on",
                ],
                name="record_opened",
            ),
        ),
    ]
