"""Running a search for the page and the API: facets, degradation, the gate.

Facet counts are disjunctive: a facet with selected values is counted as if
its own selection were not applied (OR within a facet), so a visitor sees what
choosing another value would add. That costs one extra engine request per
active facet, sent together with the main one.

Every search leaves out, in the engine's own filter, what the index may still
hold that the public must not see (search.withheld), so that totals, facets,
suggestions and paging count only what the public may see. Hits are checked
against the gate as well: one the gate refuses (the database changed behind
the index's back) is withheld, its repair is queued, and the searches are run
again without it.
"""

import logging
from dataclasses import dataclass, field, replace

from wagtail.models import Page

from catalogue.models import Record

from . import schema, withheld
from .documents import page_id_of
from .engines import get_engine
from .engines.base import (
    EngineUnavailable,
    FacetValue,
    Hit,
    SearchRequest,
    SearchResult,
)
from .models import PendingUpdate

logger = logging.getLogger(__name__)

# Searches run again at most this often after finding hits the gate refuses;
# an index still answering with such hits then is not used.
MAX_ROUNDS = 3


@dataclass
class SearchOutcome:
    request: SearchRequest
    result: SearchResult | None
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # The engine could not answer: the page says so instead of failing.
    unavailable: bool = False

    @property
    def total(self):
        return self.result.total if self.result else 0


def run(request: SearchRequest, engine=None) -> SearchOutcome:
    engine = engine or get_engine()
    wanted = request.facets
    active = [name for name in wanted if request.filters.get(name)]
    main = replace(request, facets=tuple(n for n in wanted if n not in active))
    extra = [
        replace(request.without_filter(name), facets=(name,), per_page=0, page=1)
        for name in active
    ]
    try:
        results = search_many([main, *extra], engine)
    except EngineUnavailable as error:
        logger.warning("search engine unavailable: %s", error)
        return SearchOutcome(request=request, result=None, unavailable=True)
    result = results[0]
    facets = dict(result.facets)
    for name, counted in zip(active, results[1:], strict=True):
        facets[name] = counted.facets.get(name, [])
    # Selected values stay visible (and removable) even when they count zero.
    for name in active:
        present = {value.value for value in facets.get(name, [])}
        facets[name] = facets.get(name, []) + [
            FacetValue(value, 0)
            for value in request.filters[name]
            if value not in present
        ]
    ordered = {name: facets.get(name, []) for name in wanted}
    return SearchOutcome(request=request, result=result, facets=ordered)


def search_many(requests: list[SearchRequest], engine=None) -> list[SearchResult]:
    """These searches as the public may see them (see the module's doc).

    Raises EngineUnavailable when the engine cannot answer, or cannot be
    made to answer without hits the gate refuses.
    """
    engine = engine or get_engine()
    left_out = withheld.current()
    for _round in range(MAX_ROUNDS):
        results = engine.search_many([left_out.applied_to(r) for r in requests])
        refused = refused_by_gate([hit for result in results for hit in result.hits])
        if not refused:
            return results
        logger.warning(
            "the search index answered %d records and %d pages that are not"
            " public: withheld, repair queued",
            len(refused.records),
            len(refused.pages),
        )
        _repair(refused)
        left_out = left_out | refused
    raise EngineUnavailable(
        "the search index keeps answering what is not public:"
        " run `manage.py search_index check` and rebuild"
    )


def refused_by_gate(hits: list[Hit]) -> withheld.Withheld:
    """The records and pages among these hits that the public may not see."""
    record_ids = {
        hit.document["record_id"]
        for hit in hits
        if hit.index == schema.CATALOGUE
        and isinstance(hit.document.get("record_id"), int)
    }
    page_ids = {
        page_id_of(hit.document.get("id")) for hit in hits if hit.index == schema.SITE
    }
    page_ids.discard(None)
    public = set()
    if record_ids:
        public = set(
            Record.objects.public()
            .filter(pk__in=record_ids)
            .values_list("pk", flat=True)
        )
    live = set()
    if page_ids:
        live = set(
            Page.objects.live()
            .public()
            .filter(pk__in=page_ids)
            .values_list("pk", flat=True)
        )
    return withheld.Withheld(frozenset(record_ids - public), frozenset(page_ids - live))


def _repair(refused: withheld.Withheld) -> None:
    """Withhold what the gate refused and queue the updates that remove it."""
    from .tasks import update_index

    reason = "found by a search although not public"
    updates = [
        (PendingUpdate.Kind.REMOVE_RECORDS, refused.records),
        (PendingUpdate.Kind.PAGES, refused.pages),
    ]
    for kind, ids in updates:
        if not ids:
            continue
        # Withheld first: the pending row is itself the update to replay, so
        # nothing is lost if the queue is down.
        withheld.withhold(kind, ids, reason)
        try:
            update_index.enqueue(kind, sorted(ids))
        except Exception as error:  # noqa: BLE001 — the pending row remains
            logger.warning("could not queue search repair: %s", error)


def saved_search_record_ids(query, filters, language, offset, limit):
    """Evaluate a saved search (a thematic collection's) to public record ids."""
    from .forms import SearchForm

    form = SearchForm.from_querystring(filters, query=query, language=language)
    # A parameter the search does not know (`level=item`) would be ignored and
    # widen the collection: a saved search that is not wholly understood
    # shows nothing rather than more (editors are told when they save it).
    if form.unknown_parameters() or not form.is_valid():
        return [], 0
    request = replace(
        form.search_request(),
        scope="catalogue",
        page=offset // max(limit, 1) + 1,
        per_page=limit,
        facets=(),
    )
    outcome = run(request)
    if outcome.unavailable:
        return None
    ids = [hit.document["record_id"] for hit in outcome.result.hits]
    return ids, outcome.total


def saved_search_problems(query, filters):
    """What in a saved search the search cannot use, as messages for the
    editor who saves it: unknown parameters, and values that name nothing."""
    from django.utils.translation import gettext

    from .forms import SearchForm

    form = SearchForm.from_querystring(filters, query=query)
    problems = []
    unknown = [name[:40] for name in form.unknown_parameters()]
    if unknown:
        problems.append(
            gettext("Not a filter of the search: %(names)s.")
            % {"names": ", ".join(unknown[:10])}
        )
    form.is_valid()
    problems.extend(
        gettext("“%(param)s”: %(problem)s") % {"param": name, "problem": message}
        for name, message in form.problems()
    )
    return problems


__all__ = [
    "SearchOutcome",
    "run",
    "saved_search_problems",
    "saved_search_record_ids",
    "schema",
    "search_many",
]
