"""Running a search for the page and the API: facets, degradation, the gate.

Facet counts are disjunctive: a facet with selected values is counted as if
its own selection were not applied (OR within a facet), so a visitor sees what
choosing another value would add. That costs one extra engine request per
active facet, sent together with the main one.
"""

import logging
from dataclasses import dataclass, field, replace

from . import schema
from .engines import get_engine
from .engines.base import EngineUnavailable, FacetValue, SearchRequest, SearchResult

logger = logging.getLogger(__name__)


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
        results = engine.search_many([main, *extra])
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


def saved_search_record_ids(query, filters, language, offset, limit):
    """Evaluate a saved search (a thematic collection's) to public record ids."""
    from .forms import SearchForm

    form = SearchForm.from_querystring(filters, query=query, language=language)
    if not form.is_valid():
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


__all__ = ["SearchOutcome", "run", "saved_search_record_ids", "schema"]
