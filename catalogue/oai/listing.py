"""The lists a harvest pages through: public records and tombstones.

A list is every item of a selection (a metadata format, a datestamp range, a
set): the public records that have the format, through
`Record.objects.public()`, and the visible tombstones of records that left
the public (reported as deleted, catalogue/oai/tombstones.py).

Items are in the order of their key (repository code, datestamp, kind, id),
repository by repository, so each page is a keyset range of the indexes
`record_harvest` (gate_open, repository, datestamp, id) and `tombstone_harvest`
(repository code, left_at, id): a page costs the same at the start and at the
millionth record, and no OFFSET is ever counted through. Within a repository
records and tombstones are merged by datestamp.
"""

import datetime
import heapq
from dataclasses import dataclass

from django.db.models import Q

from ..models import Record, Repository
from . import tombstones
from .identifiers import record_identifier, set_specs

RECORD, DELETED = 0, 1
# What a header needs of a record; a whole record is read for its metadata.
HEADER_FIELDS = ("id", "repository_id", "parent_id", "path", "level", "reference_code")


@dataclass(frozen=True, order=True)
class Key:
    repository: str
    moment: datetime.datetime
    kind: int
    id: int

    def dump(self):
        return [self.repository, self.moment.isoformat(), self.kind, self.id]

    @classmethod
    def load(cls, data):
        """The key a token carries; ValueError if it is not one."""
        repository, moment, kind, id_ = data
        moment = datetime.datetime.fromisoformat(moment)
        if (
            not isinstance(repository, str)
            or moment.tzinfo is None
            or kind not in (RECORD, DELETED)
            or not isinstance(id_, int)
        ):
            raise ValueError(data)
        return cls(repository, moment, kind, id_)


@dataclass
class Item:
    """One record of a list: public (with `record`) or deleted."""

    key: Key
    reference_code: str
    fonds_reference: str
    level: str
    record: Record | None = None

    @property
    def deleted(self):
        return self.record is None

    @property
    def identifier(self):
        return record_identifier(self.key.repository, self.reference_code)

    @property
    def datestamp(self):
        return self.key.moment

    @property
    def set_specs(self):
        return set_specs(self.key.repository, self.fonds_reference)


def _record_item(repository, record):
    record.repository = repository
    return Item(
        Key(repository.code, record.datestamp, RECORD, record.pk),
        record.reference_code,
        record.fonds_reference,
        record.level,
        record,
    )


def _deleted_item(tombstone):
    return Item(
        Key(tombstone.repository_code, tombstone.left_at, DELETED, tombstone.pk),
        tombstone.reference_code,
        tombstone.fonds_reference,
        tombstone.level,
    )


@dataclass(frozen=True)
class Selection:
    """What a list holds: a format, a datestamp range [lower, upper) and a set
    (identifiers.SetSpec), each bound optional."""

    levels: frozenset | None = None
    lower: datetime.datetime | None = None
    upper: datetime.datetime | None = None
    set: object = None


class Harvest:
    """The items of a selection as public today; `whole` reads whole records
    (for their metadata), otherwise what their headers need."""

    def __init__(self, selection, today, whole=False):
        self.selection = selection
        self.today = today
        self.whole = whole

    def repositories(self):
        """The repositories the selection ranges over, in the order of their
        codes (compared as Python compares them, as keys are)."""
        chosen = Repository.objects.all()
        if self.selection.set is not None:
            chosen = chosen.filter(code=self.selection.set.repository_code)
        return sorted(chosen, key=lambda repository: repository.code)

    def _fonds(self, repository):
        """The public top-level record a fonds set names; None when none."""
        spec = self.selection.set
        return (
            Record.objects.public(today=self.today)
            .roots()
            .filter(repository=repository, reference_code=spec.fonds_reference)
            .only("id", "path")
            .first()
        )

    def records(self, repository):
        """The public records of the selection in one repository, in key order."""
        found = Record.objects.all()
        spec = self.selection.set
        if spec is not None and spec.fonds_reference:
            fonds = self._fonds(repository)
            if fonds is None:
                return Record.objects.none()
            found = Record.objects.subtree(fonds)
        found = found.public(today=self.today).filter(repository=repository)
        return self._bounded(found, "datestamp").order_by("datestamp", "id")

    def deleted(self, repository_code):
        """The visible tombstones of the selection in one repository."""
        found = tombstones.visible(self.today).filter(repository_code=repository_code)
        spec = self.selection.set
        if spec is not None and spec.fonds_reference:
            found = found.filter(fonds_reference=spec.fonds_reference)
        return self._bounded(found, "left_at").order_by("left_at", "id")

    def _bounded(self, items, moment):
        selection = self.selection
        if selection.levels is not None:
            items = items.filter(level__in=selection.levels)
        if selection.lower is not None:
            items = items.filter(**{f"{moment}__gte": selection.lower})
        if selection.upper is not None:
            items = items.filter(**{f"{moment}__lt": selection.upper})
        return items

    def count(self):
        """How many items the list holds: indexed COUNTs, two a repository."""
        return sum(
            self.records(repository).order_by().count()
            + self.deleted(repository.code).order_by().count()
            for repository in self.repositories()
        )

    def page(self, after, size):
        """Up to `size` items after the key `after` (None: from the start),
        and whether more follow."""
        items = []
        for repository in self.repositories():
            if after is not None and repository.code < after.repository:
                continue
            within = after if after and after.repository == repository.code else None
            wanted = size + 1 - len(items)
            items += self._page_of(repository, within, wanted)
            if len(items) > size:
                break
        return items[:size], len(items) > size

    def _page_of(self, repository, after, wanted):
        records = _after(self.records(repository), "datestamp", after, RECORD)
        records = records.with_fonds_reference()
        if not self.whole:
            records = records.only(*HEADER_FIELDS, "datestamp")
        deleted = _after(self.deleted(repository.code), "left_at", after, DELETED)
        merged = heapq.merge(
            (_record_item(repository, record) for record in records[:wanted]),
            (_deleted_item(tombstone) for tombstone in deleted[:wanted]),
            key=lambda item: item.key,
        )
        return [item for _n, item in zip(range(wanted), merged, strict=False)]

    def find(self, repository_code, reference_code):
        """The item with this identifier: public, or deleted; None if there
        is none (never public, or not there at all)."""
        repository = Repository.objects.filter(code=repository_code).first()
        if repository is not None:
            record = (
                Record.objects.public(today=self.today)
                .filter(repository=repository, reference_code=reference_code)
                .with_fonds_reference()
                .first()
            )
            if record is not None:
                return _record_item(repository, record)
        tombstone = (
            tombstones.visible(self.today)
            .filter(repository_code=repository_code, reference_code=reference_code)
            .first()
        )
        return _deleted_item(tombstone) if tombstone is not None else None


def _after(items, moment, key, kind):
    """Those of `items` (of one kind, in (moment, id) order) whose key comes
    after `key`: a range that starts at its moment, so the index seeks there."""
    if key is None:
        return items
    if kind > key.kind:
        return items.filter(**{f"{moment}__gte": key.moment})
    if kind < key.kind:
        return items.filter(**{f"{moment}__gt": key.moment})
    return items.filter(**{f"{moment}__gte": key.moment}).filter(
        Q(**{f"{moment}__gt": key.moment}) | Q(id__gt=key.id)
    )
