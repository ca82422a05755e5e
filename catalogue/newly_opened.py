"""新开放档案: the public records by the day they opened, newest first.

One home for the list, used by its page and feed (feeds/) and by the home
page (`newly_opened(limit, today)`). Records pass the public gate today; the
day is `Record.opened_on` (catalogue/opening.py). Every read is a LIMIT on
the `record_opened` index (gate_open, opened_on, repository, 档号), walked
from either end of a keyset: a page deep in a catalogue of millions costs
what the first does, and nothing counts the whole list.
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Q
from django.utils import timezone

from .models import Record, Repository

PER_PAGE = 50
# "<day>/<repository code>/<档号>": a place in the list named by public
# identifiers only (a database id in a paging link would tell how many
# records are hidden).
_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})/([\w.\-·]{1,32})/([^\x00-\x1f]{1,100})$")


class BadCursor(ValueError):
    """A paging link that was not made by this list."""


@dataclass(frozen=True)
class Cursor:
    """A place in the list: the day, repository and 档号 of the record it is
    next to. Within a day the list is in (repository, 档号) order."""

    day: datetime.date
    repository_id: int
    repository_code: str
    reference_code: str

    def __str__(self):
        return f"{self.day.isoformat()}/{self.repository_code}/{self.reference_code}"

    @property
    def query(self):
        return quote(str(self), safe="/")

    @classmethod
    def parse(cls, text):
        found = _CURSOR.match(text or "")
        if found is None:
            raise BadCursor(text)
        try:
            day = datetime.date.fromisoformat(found.group(1))
        except ValueError as error:
            raise BadCursor(text) from error
        repository_id = (
            Repository.objects.filter(code=found.group(2))
            .values_list("pk", flat=True)
            .first()
        )
        if repository_id is None:
            raise BadCursor(text)
        return cls(day, repository_id, found.group(2), found.group(3))

    @classmethod
    def of(cls, record):
        return cls(
            record.opened_on,
            record.repository_id,
            record.repository.code,
            record.reference_code,
        )

    def older(self):
        """Records after this one in the list (opened before it)."""
        return (
            Q(opened_on__lt=self.day)
            | Q(opened_on=self.day, repository_id__lt=self.repository_id)
            | Q(
                opened_on=self.day,
                repository_id=self.repository_id,
                reference_code__lt=self.reference_code,
            )
        )

    def newer(self):
        return (
            Q(opened_on__gt=self.day)
            | Q(opened_on=self.day, repository_id__gt=self.repository_id)
            | Q(
                opened_on=self.day,
                repository_id=self.repository_id,
                reference_code__gt=self.reference_code,
            )
        )


NEWEST_FIRST = ("-opened_on", "-repository_id", "-reference_code")
OLDEST_FIRST = ("opened_on", "repository_id", "reference_code")


@dataclass(frozen=True)
class Page:
    records: list
    older: Cursor | None  # where the next (older) page starts, if any
    newer: Cursor | None  # where the previous (newer) page ends, if any


def opened(today):
    """Every record public today, with the day it opened.

    `gate_open__in` repeats what the gate says: Django writes the gate's
    `gate_open=True` as a bare column, which SQLite's planner does not match
    with the index's first column; `IN (true)` it seeks on, as PostgreSQL does
    either way.
    """
    return (
        Record.objects.public(today)
        .filter(gate_open__in=[True])
        .filter(opened_on__lte=today)
    )


def newly_opened(limit, today=None):
    """The `limit` records opened last, newest first (the home page's list)."""
    today = today or timezone.localdate()
    return list(
        opened(today).select_related("repository").order_by(*NEWEST_FIRST)[:limit]
    )


def page(today, *, before=None, after=None, per_page=PER_PAGE):
    """A page of the list: the newest, the one older than `before`, or the one
    newer than `after` (a page back, in the list's order)."""
    records = opened(today).select_related("repository")
    if after is not None:
        newer = list(
            records.filter(opened_on__gte=after.day)
            .filter(after.newer())
            .order_by(*OLDEST_FIRST)[: per_page + 1]
        )
        if len(newer) <= per_page:
            # Nothing newer than a full page: that page is the first one.
            return page(today, per_page=per_page)
        shown = newer[:per_page][::-1]
        return Page(shown, Cursor.of(shown[-1]), Cursor.of(shown[0]))
    if before is not None:
        # The range first (the index seeks on it), the exact keyset after.
        records = records.filter(opened_on__lte=before.day).filter(before.older())
    found = list(records.order_by(*NEWEST_FIRST)[: per_page + 1])
    shown = found[:per_page]
    older = Cursor.of(shown[-1]) if len(found) > per_page else None
    newer = Cursor.of(shown[0]) if before is not None and shown else None
    return Page(shown, older, newer)
