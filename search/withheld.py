"""What the index may still hold that the public must not see, left out of every search.

An index update that failed (the engine was down, or refused the write)
leaves the index answering for records the database no longer shows, and
for pages whose documents still carry the note of a block that is now
hidden. Until a replay or a rebuild puts the index right, those ids are kept
as pending updates (search.models.PendingUpdate) and every search leaves them
out in the engine's own filter: totals, facet counts, suggestions and paging
are then counted without them, in one place, by the engine, at any size.

A search that finds a hit the gate refuses, although nothing was known to be
pending (the database was changed behind the signals), withholds it the same
way and asks for the repair (search.service).
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import islice

from catalogue.models import Record

from .engines.base import EngineUnavailable, SearchRequest
from .models import PendingUpdate

Kind = PendingUpdate.Kind

# Past this many ids an exclusion filter stops being cheap for the engine: the
# search says it is unavailable rather than answer from an index it cannot
# correct. `manage.py search_index replay` (or rebuild) ends it.
MAX_WITHHELD = 10_000
# Keys per pending row, so that no row grows without bound.
KEYS_PER_ROW = 1_000

RECORD_KINDS = (Kind.REMOVE_RECORDS,)
PAGE_KINDS = (Kind.PAGES, Kind.REMOVE_PAGES)


class TooManyWithheld(EngineUnavailable):
    """More is withheld than a search can leave out: the index needs a replay."""


@dataclass(frozen=True)
class Withheld:
    records: frozenset[int] = frozenset()
    pages: frozenset[int] = frozenset()

    def __bool__(self):
        return bool(self.records or self.pages)

    def __or__(self, other: "Withheld") -> "Withheld":
        return Withheld(self.records | other.records, self.pages | other.pages)

    def applied_to(self, request: SearchRequest) -> SearchRequest:
        if not self:
            return request
        return replace(
            request,
            exclude_records=request.exclude_records | self.records,
            exclude_pages=request.exclude_pages | self.pages,
        )


def current() -> Withheld:
    """Everything pending removal from (or correction in) the index now."""
    records, pages = set(), set()
    rows = PendingUpdate.objects.filter(kind__in=RECORD_KINDS + PAGE_KINDS)
    for kind, keys in rows.values_list("kind", "keys").iterator():
        into = records if kind in RECORD_KINDS else pages
        into.update(_ids(keys))
        if len(records) > MAX_WITHHELD or len(pages) > MAX_WITHHELD:
            raise TooManyWithheld(
                f"more than {MAX_WITHHELD} ids await removal from the index:"
                " run `manage.py search_index replay` (or rebuild)"
            )
    return Withheld(frozenset(records), frozenset(pages))


def withhold(kind: str, ids: Iterable[int], reason: str) -> None:
    """Keep these ids out of every search until their update goes through."""
    ids = iter(sorted(set(ids)))
    while chunk := list(islice(ids, KEYS_PER_ROW)):
        PendingUpdate.objects.create(kind=kind, keys=chunk, error=reason)


def withhold_hidden(
    record_ids: Iterable[int], cited: dict[int, set[int]], reason: str, today=None
) -> Withheld:
    """Withhold those of these records that are not public, and the pages
    whose blocks cite them (`cited`: record id -> page ids)."""
    hidden, pages = set(), set()
    record_ids = iter(record_ids)
    while chunk := list(islice(record_ids, KEYS_PER_ROW)):
        public = set(
            Record.objects.public(today)
            .filter(pk__in=chunk)
            .values_list("pk", flat=True)
        )
        for pk in chunk:
            if pk not in public:
                hidden.add(pk)
                pages.update(cited.get(pk, ()))
    withhold(Kind.REMOVE_RECORDS, hidden, reason)
    withhold(Kind.PAGES, pages, reason)
    return Withheld(frozenset(hidden), frozenset(pages))


def _ids(keys):
    for key in keys or ():
        if isinstance(key, int):
            yield key
        elif isinstance(key, str) and key.isdigit():
            yield int(key)
