"""The open catalogue: repositories and their records, fonds > series > file > item.

Records are data, not Wagtail pages: a city archive has millions of them.

The hierarchy is kept as a materialised path of ancestor ids (ten digits each,
root first), so a subtree is one indexed range query, a breadcrumb one query by
ids, and "within this fonds" a prefix. Digits only, so the range works the same
under any database collation.

The public gate (the archive's first law) is `Record.objects.public()`. What it
needs from the ancestors is folded into two columns kept up to date on every
write: `gate_open` (the record and all its ancestors are open and not
withdrawn) and `gate_opens_on` (the latest opening date among them). The date
is compared with today at query time, so a record becomes public on its opening
day without anyone touching it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import opening, reference, signals
from .oai import datestamps, tombstones
from .storage import catalogue_files, import_uploads

SEGMENT = 10


def segment(record_id: int) -> str:
    return f"{record_id:0{SEGMENT}d}"


def subtree_range(prefix: str) -> tuple[str, str]:
    """[low, high) of every path that starts with `prefix` (digits only)."""
    high = f"{int(prefix) + 1:0{len(prefix)}d}"
    return prefix, high


class Repository(models.Model):
    """An archive institution (档案馆): a city archive or a district archive."""

    code = models.CharField(
        _("repository code"),
        max_length=32,
        unique=True,
        help_text=_("The archive's institution code (档案馆代码)."),
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("repository")
        verbose_name_plural = _("repositories")

    def __str__(self):
        return self.name


class Level(models.TextChoices):
    # In context: Django's own catalogue already says "File" is 文件, not 案卷.
    FONDS = "fonds", pgettext_lazy("archival level", "Fonds")
    SERIES = "series", pgettext_lazy("archival level", "Series")
    FILE = "file", pgettext_lazy("archival level", "File")
    ITEM = "item", pgettext_lazy("archival level", "Item")


class AccessStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONTROLLED = "controlled", _("Controlled")
    CLOSED = "closed", _("Closed")


OWN_GATE = Q(access_status=AccessStatus.OPEN, withdrawn=False)
# Fields whose change can move a record, or its whole subtree, through the gate.
GATE_FIELDS = ("access_status", "opening_date", "withdrawn", "parent_id")


def passes_gate(gate_open, gate_opens_on, today):
    """RecordQuerySet.public() for gate columns a writer has in hand (an
    import deciding whether a row it rewrites leaves the public)."""
    return bool(gate_open) and (gate_opens_on is None or gate_opens_on <= today)


class RecordQuerySet(models.QuerySet):
    def public(self, today=None):
        """The only definition of what the public may see. Use it everywhere."""
        today = today or timezone.localdate()
        return self.filter(gate_open=True).filter(
            Q(gate_opens_on__isnull=True) | Q(gate_opens_on__lte=today)
        )

    def roots(self):
        return self.filter(parent__isnull=True)

    def subtree(self, record, include_self=True):
        low, high = subtree_range(record.path + segment(record.pk))
        query = Q(path__gte=low, path__lt=high)
        if include_self:
            query |= Q(pk=record.pk)
        return self.filter(query)

    def with_fonds_reference(self):
        """Each record with the reference code of its fonds, the top of its
        path (its own at the top): the set harvesters find it in."""
        top = Cast(
            NullIf(Substr(OuterRef("path"), 1, SEGMENT), Value("")),
            models.BigIntegerField(),
        )
        code = self.model.objects.filter(pk=top).values("reference_code")[:1]
        return self.annotate(
            fonds_reference=Coalesce(Subquery(code), models.F("reference_code"))
        )

    def refresh_gate(self, root=None, *, bury=True):
        """Recompute the gate columns below `root` (this queryset when None).

        Top-down, one UPDATE per depth: each level reads its parent's columns,
        which the previous UPDATE has already set. Harvesters are told: every
        record recomputed gets a new datestamp, and those that leave the
        public a tombstone (`bury=False`: the caller has buried them itself,
        before changing them).
        """
        records = self.all()
        start = 0
        if root is not None:
            records = self.model.objects.subtree(root, include_self=True)
            start = root.depth
        deepest = records.aggregate(models.Max("depth"))["depth__max"]
        if deepest is None:
            return
        now = timezone.now()
        if bury:
            tombstones.bury(records.public(), now)
        parents = self.model.objects.filter(pk=OuterRef("parent_id"))
        parent_opens_on = Subquery(parents.values("gate_opens_on")[:1])
        for depth in range(start, deepest + 1):
            level = records.filter(depth=depth)
            if depth == 0:
                level.update(
                    gate_open=Case(When(OWN_GATE, then=True), default=False),
                    gate_opens_on=models.F("opening_date"),
                )
                continue
            level.update(
                gate_open=Case(
                    When(OWN_GATE & Exists(parents.filter(gate_open=True)), then=True),
                    default=False,
                ),
                gate_opens_on=Case(
                    When(opening_date__isnull=True, then=parent_opens_on),
                    When(
                        Q(opening_date__gte=parent_opens_on)
                        | ~Exists(parents.filter(gate_opens_on__isnull=False)),
                        then=models.F("opening_date"),
                    ),
                    default=parent_opens_on,
                ),
            )
        datestamps.restamp(records, now)
        opening.mark(records, timezone.localdate(now))
        tombstones.prune(
            tombstones.Tombstone.objects.filter(record_id__in=records.values("pk"))
        )


class Record(models.Model):
    """One archival description, at any level, with the DA/T 18 fields.

    Field names are ISAD(G)'s; verbose names carry the DA/T 18 labels.
    """

    # No index of their own: the unique (repository, reference code) and
    # record_children indexes begin with these columns and serve every lookup
    # by them, and each index more is written on every row an import stores.
    repository = models.ForeignKey(
        Repository,
        verbose_name=_("repository"),
        on_delete=models.PROTECT,
        related_name="records",
        db_index=False,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_index=False,
    )
    path = models.CharField(max_length=255, blank=True, default="", editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)

    reference_code = models.CharField(_("reference code"), max_length=100)
    fonds_code = models.CharField(_("fonds number"), max_length=40, blank=True)
    series_code = models.CharField(_("series number"), max_length=40, blank=True)
    file_number = models.CharField(_("file number"), max_length=40, blank=True)
    item_number = models.CharField(_("item number"), max_length=40, blank=True)

    title = models.TextField(pgettext_lazy("archival description", "title"))
    title_en = models.TextField(_("title in English"), blank=True)
    creators = models.JSONField(_("creators"), default=list, blank=True)
    date_expression = models.TextField(_("date"), blank=True)
    date_start = models.DateField(_("start date"), null=True, blank=True)
    date_end = models.DateField(_("end date"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    retention_period = models.CharField(
        _("retention period"), max_length=20, blank=True
    )
    classification = models.CharField(_("classification"), max_length=20, blank=True)
    extent = models.TextField(_("extent and medium"), blank=True)
    page_count = models.PositiveIntegerField(
        pgettext_lazy("number of pages", "pages"), null=True, blank=True
    )
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    names = models.JSONField(_("personal names"), default=list, blank=True)
    places = models.JSONField(_("places"), default=list, blank=True)
    scope_and_content = models.TextField(_("scope and content"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    language = models.TextField(_("language"), blank=True)
    # ISAD(G) elements real finding aids carry beyond DA/T 18's (EAD's names
    # in the comments); catalogue/fields.py says which are shown and exported.
    biographical_history = models.TextField(
        _("administrative / biographical history"), blank=True
    )  # bioghist
    custodial_history = models.TextField(_("archival history"), blank=True)
    acquisition = models.TextField(
        _("immediate source of acquisition"), blank=True
    )  # acqinfo
    arrangement = models.TextField(_("system of arrangement"), blank=True)
    conditions_of_use = models.TextField(
        _("conditions governing reproduction"), blank=True
    )  # userestrict
    related_material = models.TextField(_("related units of description"), blank=True)
    finding_aids = models.TextField(_("finding aids"), blank=True)  # otherfindaid
    preferred_citation = models.TextField(_("preferred citation"), blank=True)
    processing_information = models.TextField(
        _("archivist's note"), blank=True
    )  # processinfo
    physical_location = models.TextField(
        _("location (box, folder)"), blank=True
    )  # container
    # Digital objects held elsewhere (EAD dao with a web address): linked to,
    # never fetched at import. [{"href": ..., "title": ...}]
    external_links = models.JSONField(_("external links"), default=list, blank=True)

    access_status = models.CharField(
        _("access status"),
        max_length=10,
        choices=AccessStatus.choices,
        default=AccessStatus.CLOSED,
    )
    opening_date = models.DateField(_("opening date"), null=True, blank=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    withdrawal_reason = models.CharField(
        _("reason for withdrawal"), max_length=255, blank=True
    )
    # Which import run last wrote the record: finds a code twice in one file.
    last_import = models.CharField(max_length=32, blank=True, editable=False)
    gate_open = models.BooleanField(default=False, editable=False)
    gate_opens_on = models.DateField(null=True, blank=True, editable=False)
    # When the public description or the public state last changed, for
    # harvesters (catalogue/oai/datestamps.py): an opening date still to come
    # stamps the record with the moment it opens.
    datestamp = models.DateTimeField(default=timezone.now, editable=False)
    # The day it entered the public, for 新开放档案 (catalogue/opening.py).
    opened_on = models.DateField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["path", "position", "reference_code"]
        verbose_name = _("record")
        verbose_name_plural = _("records")
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "reference_code"],
                name="record_unique_reference_code",
            ),
        ]
        indexes = [
            models.Index(fields=["path"], name="record_path"),
            # A file may hold 100,000 items: a page of them, their count and a
            # record's neighbours are read from these indexes alone, in their
            # order and through the gate, whichever page is asked for.
            models.Index(
                fields=[
                    "parent",
                    "position",
                    "reference_code",
                    "gate_open",
                    "gate_opens_on",
                ],
                name="record_children",
            ),
            models.Index(
                fields=[
                    "parent",
                    "date_start",
                    "position",
                    "reference_code",
                    "gate_open",
                    "gate_opens_on",
                ],
                name="record_children_dated",
            ),
            models.Index(
                fields=["repository", "level", "gate_open"], name="record_level"
            ),
            models.Index(fields=["gate_open", "gate_opens_on"], name="record_gate"),
            # OAI-PMH harvests page through a repository's public records by
            # keyset on (datestamp, id), the opening date read from the index.
            models.Index(
                fields=["gate_open", "repository", "datestamp", "id", "gate_opens_on"],
                name="record_harvest",
            ),
            # 新开放档案: the newest opened first, by keyset on (opened_on,
            # repository, 档号): public names, never ids, in its paging links.
            models.Index(
                fields=[
                    "gate_open",
                    "opened_on",
                    "repository",
                    "reference_code",
                    "gate_opens_on",
                ],
                name="record_opened",
            ),
        ]

    def __str__(self):
        return f"{self.reference_code} {self.title}"

    def save(self, *args, **kwargs):
        self.set_reference_code(self.reference_code)
        parent = self.parent if self.parent_id else None
        if parent is not None and self.pk and parent.is_within(self):
            raise ValueError("A record cannot be moved below itself.")
        self.path = parent.path + segment(parent.pk) if parent else ""
        self.depth = len(self.path) // SEGMENT
        saved_gate = getattr(self, "_saved_gate", None)
        saved_path = getattr(self, "_saved_path", None)
        adding = self._state.adding
        gate_changed = saved_gate != self._gate_values()
        renamed = not adding and self._saved_identifier_changed()
        today = timezone.localdate()
        was_public = not adding and passes_gate(
            self.__dict__.get("gate_open"), self.__dict__.get("gate_opens_on"), today
        )
        self.datestamp = datestamps.stamp(self.gate_opens_on)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "datestamp"}
        with transaction.atomic():
            if not adding and (gate_changed or renamed):
                self._bury_what_may_leave(saved_path, whole_subtree=gate_changed)
            super().save(*args, **kwargs)
            if saved_path is not None and saved_path != self.path:
                self._move_descendants(saved_path)
            if gate_changed:
                Record.objects.refresh_gate(root=self, bury=False)
                self.refresh_from_db(
                    fields=["gate_open", "gate_opens_on", "datestamp", "opened_on"]
                )
            elif renamed:
                # Its descendants' sets and links to it changed with its code.
                subtree = Record.objects.subtree(self)
                datestamps.restamp(subtree)
                tombstones.prune(tombstones.Tombstone.objects.filter(record_id=self.pk))
            if was_public or passes_gate(self.gate_open, self.gate_opens_on, today):
                # The finding aids above it, where it was and where it is.
                datestamps.restamp_finding_aids({saved_path or "", self.path})
            signals.announce_subtrees(Record, [self.pk])
        self._remember_saved_state()

    def _bury_what_may_leave(self, saved_path, whole_subtree):
        """Tombstones for what is public now, under the identifiers and paths
        the database still holds, before this save changes them."""
        if not whole_subtree:
            tombstones.bury(Record.objects.filter(pk=self.pk).public())
            return
        if saved_path is None:
            saved_path = (
                Record.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            ) or ""
        as_stored = Record(pk=self.pk, path=saved_path)
        tombstones.bury(Record.objects.subtree(as_stored).public())

    def set_reference_code(self, written):
        """Keep the code normalised, with its parts (全宗号, 目录号, 案卷号, 件号)."""
        parsed = reference.parse(written)
        self.reference_code = parsed.code
        self.fonds_code = parsed.fonds
        self.series_code = parsed.series
        self.file_number = parsed.file
        self.item_number = parsed.item

    def clean(self):
        super().clean()
        try:
            parsed = reference.parse(self.reference_code)
        except reference.InvalidReferenceCode as error:
            raise ValidationError({"reference_code": str(error)}) from error
        self.reference_code = parsed.code
        if self.parent_id and self.parent.repository_id != self.repository_id:
            raise ValidationError(
                {"parent": _("The parent belongs to another repository.")}
            )
        if self.pk and self.parent_id and self.parent.is_within(self):
            raise ValidationError({"parent": _("A record cannot contain itself.")})
        if self.date_start and self.date_end and self.date_start > self.date_end:
            raise ValidationError({"date_end": _("The end date is before the start.")})

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        record._remember_saved_state()
        return record

    def _remember_saved_state(self):
        self._saved_gate = self._gate_values()
        self._saved_path = self.__dict__.get("path")
        self._saved_identifier = self._identifier()

    def _identifier(self):
        # What its public identifier (and permalink) is made of.
        return (self.__dict__.get("repository_id"), self.__dict__.get("reference_code"))

    def _saved_identifier_changed(self):
        return getattr(self, "_saved_identifier", None) != self._identifier()

    def _gate_values(self):
        # __dict__, not getattr: reading a deferred field would load it again.
        return tuple(self.__dict__.get(name) for name in GATE_FIELDS)

    def _move_descendants(self, old_path):
        """Rewrite the paths below a record that moved, in one UPDATE."""
        old_prefix = old_path + segment(self.pk)
        new_prefix = self.path + segment(self.pk)
        low, high = subtree_range(old_prefix)
        Record.objects.filter(path__gte=low, path__lt=high).update(
            path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
            depth=models.F("depth") + (len(new_prefix) - len(old_prefix)) // SEGMENT,
        )

    def is_within(self, other):
        """True when this record is `other` or one of its descendants."""
        own = self.path + segment(self.pk)
        return own.startswith(other.path + segment(other.pk))

    @property
    def ancestor_ids(self):
        return [
            int(self.path[i : i + SEGMENT]) for i in range(0, len(self.path), SEGMENT)
        ]

    def ancestors(self):
        ids = self.ancestor_ids
        by_id = Record.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    @property
    def is_public(self):
        return Record.objects.public().filter(pk=self.pk).exists()


class DigitalObject(models.Model):
    """A file of a record: a page image, a PDF, a recording."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Page image")
        PDF = "pdf", _("PDF")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")

    record = models.ForeignKey(
        Record,
        on_delete=models.CASCADE,
        related_name="digital_objects",
        db_index=False,  # the (record, position) index begins with it
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(
        _("file"), storage=catalogue_files, upload_to="records/", max_length=255
    )
    label = models.CharField(
        pgettext_lazy("text shown for it", "label"), max_length=200, blank=True
    )

    class Meta:
        ordering = ["record", "position"]
        verbose_name = _("digital object")
        verbose_name_plural = _("digital objects")
        indexes = [models.Index(fields=["record", "position"], name="digital_order")]

    def __str__(self):
        return self.label or self.file.name


class PageText(models.Model):
    """Machine-recognised (OCR) text of one page, so a hit can name its page."""

    # The unique (record, page number) index begins with it.
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="pages", db_index=False
    )
    page_number = models.PositiveIntegerField(pgettext_lazy("page number", "page"))
    digital_object = models.ForeignKey(
        DigitalObject,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="page_texts",
        db_index=False,  # page_text_object below, which leaves out the NULLs
    )
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["record", "page_number"]
        verbose_name = _("page text")
        verbose_name_plural = _("page texts")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "page_number"], name="page_text_unique_page"
            )
        ]
        # Most OCR pages come as text alone, without an image of their own:
        # they need no entry here, and an import of a million pages writes
        # none for them.
        indexes = [
            models.Index(
                fields=["digital_object"],
                condition=models.Q(digital_object__isnull=False),
                name="page_text_object",
            )
        ]

    def __str__(self):
        return f"{self.record.reference_code} p. {self.page_number}"


class AccessWording(models.Model):
    """What an access wording means to one archive (or to every archive).

    Imports decide access from these first, then from the built-in vocabulary
    (catalogue/vocabulary.py): an editor resolves a "needs review" row by
    adding its wording here and importing again.
    """

    repository = models.ForeignKey(
        Repository,
        verbose_name=_("repository"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="access_wordings",
        help_text=_("Leave empty for a wording every archive of the platform uses."),
    )
    # A whole statement can run to a page (a deposit agreement): no limit, so
    # uniqueness is checked in clean() rather than by a database index.
    wording = models.TextField(
        _("wording"),
        help_text=_(
            "Exactly as the catalogues write it (width, case and spaces do "
            "not matter): a whole statement or one clause of it."
        ),
    )
    meaning = models.CharField(
        _("meaning"), max_length=10, choices=AccessStatus.choices
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["repository__code", "wording"]
        verbose_name = _("access wording")
        verbose_name_plural = _("access wordings")

    def __str__(self):
        return f"{self.wording} → {self.get_meaning_display()}"

    def clean(self):
        from .vocabulary import classified

        super().clean()
        same = AccessWording.objects.filter(
            repository=self.repository_id, wording=self.wording
        ).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError(
                {"wording": _("This wording is already in the table.")}
            )
        if self.meaning == AccessStatus.OPEN and classified(self.wording):
            raise ValidationError(
                {
                    "meaning": _(
                        "A wording that names a security classification (密级) "
                        "can never mean open."
                    )
                }
            )


class ImportJob(models.Model):
    """A catalogue import started from the admin, run as a background task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Not imported")

    repository = models.ForeignKey(
        Repository, verbose_name=_("repository"), on_delete=models.CASCADE
    )
    file = models.FileField(
        _("file"), storage=import_uploads, upload_to="%Y/%m/", max_length=255
    )
    # The upload's name as the editor's computer called it: the file itself is
    # deleted once read.
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    format = models.CharField(_("format"), max_length=10, blank=True)
    dry_run = models.BooleanField(_("check only, import nothing"), default=False)
    # The access of a top record whose file says nothing about it ("open"),
    # or empty: such records are listed for review (import_records).
    default_access = models.CharField(_("default access"), max_length=10, blank=True)
    # Existing records described by the file alone, not merged (import_records).
    replace = models.BooleanField(_("replace existing descriptions"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_expected = models.PositiveIntegerField(null=True, blank=True)
    # ImportReport.as_data(), in the language the import ran in.
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")

    def __str__(self):
        return f"{self.file.name} → {self.repository.code}"

    @property
    def percent(self):
        if not self.rows_expected:
            return None
        return min(100, round(100 * self.rows_read / self.rows_expected))


# The catalogue page lives in its own module; imported here so Django finds it.
from .pages import CatalogueIndexPage  # noqa: E402, F401
