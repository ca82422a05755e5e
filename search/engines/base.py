"""The interface every public search engine offers the portal.

Two indexes, named here and mapped to the engine's own names by each engine:

- ``catalogue``: one document per public record, plus one per page of its
  full text (OCR). Page documents repeat their record's facet fields so that
  facet counts, computed after collapsing to one hit per record, are right.
- ``site``: one document per live Wagtail page (exhibitions, chapters,
  thematic collections…), one per language.

A search runs over both and returns at most one hit per record.

Highlighted text comes back with HIGHLIGHT_PRE/HIGHLIGHT_POST around the
matches and is otherwise plain, unescaped text: `search.highlight` turns it
into safe HTML. Engines never return markup.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from .. import schema

# Private-use characters: they cannot occur in catalogue text we index
# (documents are cleaned of them), so they mark matches unambiguously.
HIGHLIGHT_PRE = "\ue000"
HIGHLIGHT_POST = "\ue001"


class EngineUnavailable(Exception):
    """The engine cannot answer now; the caller degrades politely."""


class EngineError(Exception):
    """The engine refused a write or a setting: an update that must be retried."""


@dataclass(frozen=True)
class EngineHealth:
    engine: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class SearchRequest:
    """One search, already validated (see search.forms)."""

    query: str = ""
    # Fielded search; `reference` matches a 档号 exactly or as a prefix at a
    # dash boundary (J0001-001 finds J0001-001-0002).
    title: str = ""
    creator: str = ""
    reference: str = ""
    # Facet name (schema.FACETS) -> the selected values: OR within one facet,
    # AND across facets.
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    # Only records below this record (its id), the record itself included.
    within: int | None = None
    # The same record as links and the API name it: "<repository code>/<档号>".
    within_key: str = ""
    sort: str = schema.SORT_RELEVANCE
    page: int = 1
    per_page: int = 20
    # The visitor's language ("zh-hans" or "en"): site pages are shown in it,
    # and it tells the engine how to read the query.
    language: str = "zh-hans"
    # Facets to count, by name.
    facets: tuple[str, ...] = ()
    # "all", "catalogue" (records only) or "site" (pages only).
    scope: str = "all"
    # Left out whatever the index holds: records (by id, with their pages)
    # and site pages (by page id) that an index update has not yet removed
    # (search.withheld). Counts, facets and paging never include them.
    exclude_records: frozenset[int] = frozenset()
    exclude_pages: frozenset[int] = frozenset()

    def without_filter(self, name: str) -> "SearchRequest":
        filters = {k: v for k, v in self.filters.items() if k != name}
        return _replace(self, filters=filters)


def _replace(request, **changes):
    from dataclasses import replace

    return replace(request, **changes)


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass
class Hit:
    """One result: a record (with its best page when the full text matched)
    or a site page."""

    index: str  # "catalogue" or "site"
    # The stored document of the record or page (schema fields), without
    # the long text.
    document: dict
    # Title and snippet with HIGHLIGHT_PRE/POST marks; plain text otherwise.
    title: str
    snippet: str = ""
    # The page of the full text the snippet comes from, when it does.
    page: int | None = None
    score: float = 0.0


@dataclass
class SearchResult:
    hits: list[Hit]
    # Records and pages found (one per record), as the engine counts them.
    total: int
    # True when the engine stopped counting at its limit.
    total_is_capped: bool = False
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    took_ms: float = 0.0


class IndexWriter(ABC):
    """Receives the documents of a rebuild."""

    @abstractmethod
    def add_documents(self, documents: Iterable[dict]) -> None: ...


class SearchEngine(ABC):
    name: str

    @abstractmethod
    def health(self) -> EngineHealth:
        """Whether the engine can be used now, without raising."""

    @abstractmethod
    def apply_settings(self, index: str) -> None:
        """Create `index` if missing and apply its settings (schema.py)."""

    @abstractmethod
    def add_documents(self, index: str, documents: Iterable[dict]) -> int:
        """Add or replace documents (by "id"), in batches; return how many.

        Raises EngineError or EngineUnavailable; never loses a failure.
        """

    @abstractmethod
    def delete_documents(self, index: str, ids: Iterable[str]) -> None:
        """Delete documents by id; ids that are not there are ignored."""

    @abstractmethod
    def delete_records(self, record_ids: Iterable[int]) -> None:
        """Delete every catalogue document (record and pages) of these records."""

    @abstractmethod
    def document_ids(self, index: str) -> Iterator[str]:
        """Every document id in `index` (for drift checks)."""

    @abstractmethod
    def rebuild(self, index: str) -> AbstractContextManager[IndexWriter]:
        """Build `index` aside; on a clean exit it replaces the live one.

        The public keeps searching the old index until the swap. On an error
        the new index is thrown away and the old one stays.
        """

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """Run one search. Raises EngineUnavailable when it cannot."""

    def search_many(self, requests: list[SearchRequest]) -> list[SearchResult]:
        """Several searches at once (an engine may send them together)."""
        return [self.search(request) for request in requests]
