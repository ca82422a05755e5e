"""Records that have left the public: what a harvester is told of them.

A record that was public and stops being public (closed, withdrawn, moved below
a closed record, its opening date moved into the future, deleted) keeps a
tombstone: its identifier, the moment it left and the sets it was in, never
any of its description. OAI-PMH reports it from then on as deleted
(`deletedRecord` is persistent); its permalink answers 410 rather than 404
when withdrawal is what hides it (catalogue/views.py).

A record that never was public never gets one, so it is never mentioned. One
that becomes public again is listed normally: a tombstone counts only while
no public record has its identifier (`visible`), which also covers a record
that comes back on its opening date with nobody writing anything.

Tombstones are written where gates change, by the writers themselves:
`Record.save()` and `RecordQuerySet.refresh_gate()` bury the public records of
the subtree before they change it and prune the tombstones of what is public
afterwards; an import buries the rows it takes out of the public before it
rewrites them; a deleted record is buried on its way out. All of it in
set-based SQL, inside the writer's transaction.

catalogue/models.py imports this module, so it imports nothing of the
catalogue's outside catalogue/oai/datestamps.py: the Record model is looked up
when a function runs.
"""

from django.apps import apps
from django.db import connection, models
from django.db.models import DateTimeField, Exists, F, OuterRef, Value
from django.db.models.signals import pre_delete
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import datestamps


class Tombstone(models.Model):
    """A record that has left the public, by its public identifier."""

    # The identifier's parts as they were, not a foreign key: a tombstone
    # outlives its record.
    repository_code = models.CharField(_("repository code"), max_length=32)
    reference_code = models.CharField(_("reference code"), max_length=100)
    level = models.CharField(_("level"), max_length=10)
    # The top-level record it was in (its own code for a top-level record):
    # its set.
    fonds_reference = models.CharField(max_length=100, blank=True)
    record_id = models.BigIntegerField(null=True, blank=True)
    left_at = models.DateTimeField(_("left the public"))

    class Meta:
        app_label = "catalogue"
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        constraints = [
            models.UniqueConstraint(
                fields=["repository_code", "reference_code"],
                name="tombstone_identifier",
            )
        ]
        indexes = [
            # Harvests page through a repository's tombstones by keyset on
            # (left_at, id), as through its records (catalogue/oai/listing.py).
            models.Index(
                fields=["repository_code", "left_at", "id"], name="tombstone_harvest"
            ),
            models.Index(fields=["record_id"], name="tombstone_record"),
        ]

    def __str__(self):
        return f"{self.repository_code}/{self.reference_code}"


def _records():
    return apps.get_model("catalogue", "Record")


def _public_identifier(today=None):
    """Public records with the identifier of the tombstone in the outer query."""
    return (
        _records()
        .objects.public(today=today)
        .filter(
            repository__code=OuterRef("repository_code"),
            reference_code=OuterRef("reference_code"),
        )
    )


def visible(today=None):
    """The tombstones a harvester is told of: no public record has their
    identifier."""
    return Tombstone.objects.filter(~Exists(_public_identifier(today)))


def was_public(repository_code, reference_code):
    return Tombstone.objects.filter(
        repository_code=repository_code, reference_code=reference_code
    ).exists()


def bury(records, now=None):
    """Tombstones for `records` (a queryset of Record) as the database holds
    them now, one statement whatever their number.

    The caller passes records that are public before its change: a record
    that never was public must never get one. A record buried again (it came
    back and left again) has its tombstone moved to now.
    """
    now = now or timezone.now()
    # Annotations only, in the table's column order, so the SELECT lists them
    # in that order. pk > 0 gives the SELECT a WHERE, which SQLite needs to
    # tell an upsert's ON CONFLICT from a join's ON.
    rows = (
        records.filter(pk__gt=0)
        .order_by()
        .with_fonds_reference()
        .annotate(
            t_repository=F("repository__code"),
            t_reference=F("reference_code"),
            t_level=F("level"),
            t_record=F("id"),
            t_left=Value(now, output_field=DateTimeField()),
        )
        .values_list(
            "t_repository",
            "t_reference",
            "t_level",
            "fonds_reference",
            "t_record",
            "t_left",
        )
    )
    select, params = rows.query.sql_with_params()
    meta = Tombstone._meta
    quote = connection.ops.quote_name
    columns = [
        quote(meta.get_field(name).column)
        for name in (
            "repository_code",
            "reference_code",
            "level",
            "fonds_reference",
            "record_id",
            "left_at",
        )
    ]
    refreshed = ", ".join(f"{column} = excluded.{column}" for column in columns[2:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
            f"{select} ON CONFLICT ({columns[0]}, {columns[1]}) "
            f"DO UPDATE SET {refreshed}",
            params,
        )


def prune(tombstones, today=None):
    """Delete those of `tombstones` whose identifier is public again.

    Not needed for what harvesters see (`visible` leaves them out), but it
    keeps the table to the records that are gone, and "was public" to those
    that were.
    """
    doomed = tombstones.filter(Exists(_public_identifier(today))).values("pk")
    select, params = doomed.query.sql_with_params()
    meta = Tombstone._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # A plain DELETE: QuerySet.delete() would load every row first, as
        # search listens to every model's deletions.
        cursor.execute(
            f"DELETE FROM {quote(meta.db_table)} "  # noqa: S608
            f"WHERE {quote(meta.pk.column)} IN ({select})",
            params,
        )


def bury_deleted_record(sender, instance, **kwargs):
    public = sender.objects.public().filter(pk=instance.pk)
    if public.exists():
        bury(public)
        # It leaves the finding aids above it.
        datestamps.restamp_finding_aids([instance.path])


# By label: the Record model is not defined yet when this module is imported.
pre_delete.connect(
    bury_deleted_record, sender="catalogue.Record", dispatch_uid="oai-tombstones"
)
