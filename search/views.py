"""The public search page and the JSON search API.

Both read the same parameters (search.forms) and show the same results. The
page renders on the server and works without JavaScript; its script asks the
API for the next results (with `html=1`, the page's own regions rendered by
the same templates) as the visitor types.

The gate at render: the index may lag behind the catalogue, so every record
hit is read again through `Record.objects.public()` and every page hit must
still be live; what is not is dropped before anything is shown.
"""

import json
import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.views.decorators.http import require_safe
from wagtail.models import Locale, Page

from catalogue.models import DigitalObject, Level, Record, Repository
from catalogue.pages import CatalogueIndexPage
from catalogue.templatetags.catalogue_tags import record_dates, record_title
from catalogue.values import language_name
from home.models import in_active_language
from portal.pagination import numbered_links

from . import schema, service, text
from .documents import fonds_key
from .engines.base import EngineUnavailable, SearchRequest
from .forms import (
    RECORD_TYPES,
    SITE_TYPES,
    SearchForm,
    active_language,
    last_page,
    request_params,
)
from .highlight import highlight, plain

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

TYPE_LABELS = {
    **{level.value: level.label for level in Level},
    "exhibition": pgettext_lazy("search result type", "Exhibition"),
    "chapter": pgettext_lazy("search result type", "Exhibition chapter"),
    "collection": pgettext_lazy("search result type", "Thematic collection"),
    "chronicle": pgettext_lazy("search result type", "Chronicle"),
    "page": pgettext_lazy("search result type", "Page"),
}
FACET_LABELS = {
    "type": pgettext_lazy("search filter", "Type"),
    "repository": pgettext_lazy("search filter", "Repository"),
    "fonds": pgettext_lazy("search filter", "Fonds"),
    "decade": pgettext_lazy("search filter", "Decade"),
    "medium": pgettext_lazy("search filter", "Medium"),
    "digital": pgettext_lazy("search filter", "Digital copy"),
    "language": pgettext_lazy("search filter", "Language"),
    "collection": pgettext_lazy("search filter", "Thematic collection"),
}
# The facets a visitor sees first; the others wait behind "More filters".
PRIMARY_FACETS = ("type", "decade", "repository", "fonds", "digital")
# Values of a facet shown before "More".
VISIBLE_VALUES = 8
DIGITAL_LABELS = {
    "yes": pgettext_lazy("search filter", "Digitised"),
    "no": pgettext_lazy("search filter", "Not digitised"),
}
SORT_LABELS = {
    schema.SORT_RELEVANCE: pgettext_lazy("sort order", "Relevance"),
    schema.SORT_DATE_ASC: pgettext_lazy("sort order", "Oldest first"),
    schema.SORT_DATE_DESC: pgettext_lazy("sort order", "Newest first"),
}
FIELD_LABELS = {
    "title": pgettext_lazy("search field", "Title"),
    "creator": pgettext_lazy("search field", "Creator"),
    "ref": pgettext_lazy("search field", "Reference code"),
}
# How many alternatives a search that found nothing tries, at most.
MAX_SUGGESTIONS = 6


def language_tag(text_value, default="zh-Hans"):
    """The language a piece of catalogue text is in, as far as its script tells."""
    if not text_value:
        return default
    return "zh-Hans" if HAN.search(text_value) else "en"


def number(value):
    return f"{value:,}"


@dataclass
class FacetEntry:
    value: str
    label: str
    count: int
    selected: bool
    lang: str = ""
    id: str = ""


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetEntry]
    primary: bool = True

    @property
    def first(self):
        return self.values[:VISIBLE_VALUES]

    @property
    def rest(self):
        return self.values[VISIBLE_VALUES:]

    @property
    def rest_selected(self):
        return any(value.selected for value in self.rest)

    @property
    def selected_count(self):
        return sum(1 for value in self.values if value.selected)


@dataclass
class Chip:
    """One active filter in the bar above the results, with its removal."""

    param: str
    value: str
    label: str
    remove: list = field(default_factory=list)  # query-string pairs without it


@dataclass
class Suggestion:
    kind: str  # "script", "words", "without_filter", "without_filters"
    label: str
    params: list
    count: int = 0
    lang: str = ""


class Results:
    """One search, run and made ready for the page, its regions and the API."""

    def __init__(self, request, form: SearchForm):
        self.request = request
        self.form = form
        self.search: SearchRequest = form.search_request()
        self.page_url = reverse("search")
        self.unavailable = False
        self.hits = []
        self.total = 0
        self.total_is_capped = False
        self.facets = []
        self.suggestions = []
        self.took_ms = 0.0
        # Words that cannot be searched (symbols alone, too long): the page
        # says why and shows no results rather than every record.
        self.refused = form.words_refused()

    # Running -----------------------------------------------------------------

    def run(self):
        if self.refused:
            return self
        outcome = service.run(self.search)
        if outcome.unavailable:
            self.unavailable = True
            return self
        result = outcome.result
        self.took_ms = result.took_ms
        self.hits, dropped = self._present(result.hits)
        self.total = max(result.total - dropped, len(self.hits))
        self.total_is_capped = result.total_is_capped
        self.facets = self._facets(outcome.facets)
        if self.total == 0:
            self.suggestions = self._suggestions()
        return self

    # Hits, through the gate ------------------------------------------------------

    def _present(self, hits):
        record_ids = [
            hit.document.get("record_id")
            for hit in hits
            if hit.index == schema.CATALOGUE and hit.document.get("record_id")
        ]
        records = (
            Record.objects.public().select_related("repository").in_bulk(record_ids)
        )
        ancestor_ids = {pk for record in records.values() for pk in record.ancestor_ids}
        ancestors = Record.objects.public().in_bulk(ancestor_ids)
        page_ids = [_page_id(hit.document) for hit in hits if hit.index == schema.SITE]
        live_pages = set(
            Page.objects.live()
            .public()
            .filter(pk__in=[pk for pk in page_ids if pk])
            .values_list("pk", flat=True)
        )
        catalogue = self.catalogue
        base = catalogue.get_url(self.request) if catalogue else None

        presented, dropped = [], 0
        for hit in hits:
            if hit.index == schema.CATALOGUE:
                record = records.get(hit.document.get("record_id"))
                if record is None:
                    dropped += 1
                    continue
                presented.append(
                    self._record_hit(hit, record, ancestors, catalogue, base)
                )
            else:
                if _page_id(hit.document) not in live_pages:
                    dropped += 1
                    continue
                presented.append(self._page_hit(hit))
        return presented, dropped

    def _record_hit(self, hit, record, ancestors, catalogue, base):
        def url_of(described):
            if catalogue is None:
                return ""
            return base + catalogue.record_path(described)

        url = url_of(record)
        title = hit.title if plain(hit.title).strip() else record_title(record)
        breadcrumb = []
        for pk in record.ancestor_ids:
            ancestor = ancestors.get(pk)
            if ancestor is None:
                continue
            ancestor.repository = record.repository
            shown = record_title(ancestor)
            breadcrumb.append(
                {
                    "title": shown,
                    "lang": language_tag(shown),
                    "level": ancestor.level,
                    "level_label": str(TYPE_LABELS.get(ancestor.level, "")),
                    "reference_code": ancestor.reference_code,
                    "url": url_of(ancestor),
                }
            )
        dates = record_dates(record)
        page = hit.page if hit.page and hit.snippet else None
        # Public identifiers only (the 档号, the repository's code, the page
        # number): database ids would tell how many records are hidden.
        return {
            "kind": "record",
            "type": record.level,
            "type_label": str(TYPE_LABELS.get(record.level, record.level)),
            "title": plain(title),
            "title_html": highlight(title),
            "title_lang": language_tag(plain(title)),
            "url": url,
            "reference_code": record.reference_code,
            "date": strip_tags(dates),
            "date_html": dates,
            "date_start": record.date_start,
            "date_end": record.date_end,
            "repository": {
                "code": record.repository.code,
                "name": in_active_language(
                    record.repository.name, record.repository.name_en
                ),
            },
            "repository_lang": language_tag(
                in_active_language(record.repository.name, record.repository.name_en)
            ),
            "breadcrumb": breadcrumb,
            "snippet": plain(hit.snippet),
            "snippet_html": highlight(hit.snippet),
            "snippet_lang": language_tag(plain(hit.snippet)),
            "page": page,
            "page_url": f"{url}#page={page}" if page and url else "",
            "digital": hit.document.get("digital") == "yes",
        }

    def _page_hit(self, hit):
        kind = hit.document.get("type", "page")
        title = hit.title or hit.document.get("title") or hit.document.get("title_en")
        snippet = hit.snippet or ""
        return {
            "kind": "page",
            "type": kind,
            "type_label": str(TYPE_LABELS.get(kind, TYPE_LABELS["page"])),
            "title": plain(title),
            "title_html": highlight(title),
            "title_lang": language_tag(plain(title), _page_lang()),
            "url": hit.document.get("url", ""),
            "snippet": plain(snippet),
            "snippet_html": highlight(snippet),
            "snippet_lang": language_tag(plain(snippet), _page_lang()),
            "date": hit.document.get("date", ""),
            "page": None,
            "page_url": "",
        }

    # Facets ------------------------------------------------------------------------

    def _facets(self, counted):
        facets = []
        for name in schema.FACETS:
            selected = self.search.filters.get(name, ())
            counts = {value.value: value.count for value in counted.get(name, [])}
            # A value that would find nothing is not offered; one the visitor
            # chose stays, checked, so that it can be removed.
            counts = {v: n for v, n in counts.items() if n or v in selected}
            for value in selected:
                counts.setdefault(value, 0)
            labels = self._value_labels(name, list(counts))
            entries = []
            for value, count in counts.items():
                label = labels.get(value)
                if label is None:
                    if value not in selected:
                        continue  # e.g. a fonds that is no longer public
                    label = (value, "")
                entries.append(
                    FacetEntry(
                        value=value,
                        label=str(label[0]),
                        lang=label[1],
                        count=count,
                        selected=value in selected,
                    )
                )
            entries.sort(key=_facet_order(name))
            for index, entry in enumerate(entries, start=1):
                entry.id = f"facet-{name}-{index}"
            if entries:
                facets.append(
                    Facet(
                        name=name,
                        label=str(FACET_LABELS[name]),
                        values=entries,
                        primary=name in PRIMARY_FACETS,
                    )
                )
        return facets

    def _value_labels(self, name, values):
        """value -> (label, lang of the label when it is catalogue data)."""
        data_lang = "zh-Hans" if _page_lang() == "en" else ""
        if name == "type":
            return {v: (TYPE_LABELS[v], "") for v in values if v in TYPE_LABELS}
        if name == "digital":
            return {v: (DIGITAL_LABELS[v], "") for v in values if v in DIGITAL_LABELS}
        if name == "decade":
            return {
                v: (pgettext("decade", "%(decade)ss") % {"decade": v}, "")
                for v in values
            }
        if name == "language":
            return {v: (language_name(v), "") for v in values}
        if name == "medium":
            # The kinds of digital object a record has: page images, PDF, audio…
            kinds = dict(DigitalObject.Kind.choices)
            return {v: (kinds[v], "") if v in kinds else (v, data_lang) for v in values}
        if name == "repository":
            return {
                repository.code: (
                    in_active_language(repository.name, repository.name_en),
                    "" if repository.name_en and _page_lang() == "en" else data_lang,
                )
                for repository in Repository.objects.filter(code__in=values)
            }
        if name == "fonds":
            return self._fonds_labels(values)
        if name == "collection":
            return self._collection_labels(values)
        return {v: (v, "") for v in values}

    def _fonds_labels(self, values):
        # A value is "<repository code>/<档号>" (search.documents.fonds_key).
        pairs = {tuple(v.split("/", 1)) for v in values if "/" in v}
        fonds = [
            record
            for record in Record.objects.public()
            .select_related("repository")
            .filter(
                repository__code__in={code for code, _ref in pairs},
                reference_code__in={ref for _code, ref in pairs},
            )
            if (record.repository.code, record.reference_code) in pairs
        ]
        titles = [record_title(record) for record in fonds]
        labels = {}
        for record, title in zip(fonds, titles, strict=True):
            if titles.count(title) > 1:
                # Two repositories may hold fonds of the same name: say whose.
                title = pgettext("record and its level", "%(title)s (%(level)s)") % {
                    "title": title,
                    "level": in_active_language(
                        record.repository.name, record.repository.name_en
                    ),
                }
            labels[fonds_key(record.repository.code, record.reference_code)] = (
                title,
                language_tag(title),
            )
        return labels

    def _collection_labels(self, values):
        # A collection's key is the id of its zh-Hans page; the label is its
        # title in the visitor's language when translated.
        ids = [int(v) for v in values if v.isdigit()]
        if not ids:
            return {}
        pages = Page.objects.live().public()
        keys = dict(pages.filter(pk__in=ids).values_list("translation_key", "pk"))
        active = Locale.get_active().pk
        # The title in the visitor's language, else the collection's own.
        best = {}
        for key, pk, locale, title in pages.filter(
            translation_key__in=keys
        ).values_list("translation_key", "pk", "locale_id", "title"):
            rank = 2 if locale == active else 1 if pk == keys[key] else 0
            if rank and rank > best.get(key, ("", 0))[1]:
                best[key] = (title, rank)
        return {
            str(keys[key]): (title, language_tag(title))
            for key, (title, _rank) in best.items()
        }

    # Active filters ----------------------------------------------------------

    @cached_property
    def chips(self):
        search = self.search
        chips = []
        for facet in self.facets:
            for entry in facet.values:
                if entry.selected:
                    chips.append(
                        Chip(
                            facet.name,
                            entry.value,
                            _chip(facet.label, entry.label),
                            self.params(
                                **{
                                    facet.name: tuple(
                                        v
                                        for v in search.filters[facet.name]
                                        if v != entry.value
                                    )
                                }
                            ),
                        )
                    )
        if search.year_from is not None or search.year_to is not None:
            chips.append(
                Chip(
                    "from" if search.year_from is not None else "to",
                    f"{search.year_from or ''}–{search.year_to or ''}",
                    _chip(
                        pgettext("search filter", "Years"),
                        _years(search.year_from, search.year_to),
                    ),
                    self.params(**{"from": None, "to": None}),
                )
            )
        for param, value in (
            ("title", search.title),
            ("creator", search.creator),
            ("ref", search.reference),
        ):
            if value:
                chips.append(
                    Chip(
                        param,
                        value,
                        _chip(FIELD_LABELS[param], value),
                        self.params(**{param: ""}),
                    )
                )
        record = self.form.within_record
        if search.within and record is not None:
            chips.append(
                Chip(
                    "within",
                    search.within_key,
                    _chip(
                        pgettext("search filter", "Within"),
                        pgettext("record and its level", "%(title)s (%(level)s)")
                        % {
                            "title": record_title(record),
                            "level": TYPE_LABELS.get(record.level, record.level),
                        },
                    ),
                    self.params(within=None),
                )
            )
        return chips

    @property
    def clear_filters_params(self):
        """Every filter off; the words and the order stay."""
        return request_params(
            SearchRequest(
                query=self.search.query,
                sort=self.search.sort,
                per_page=self.search.per_page,
            )
        )

    # Zero results ------------------------------------------------------------

    def _suggestions(self):
        """Searches near one that found nothing, each with what it would find."""
        search = self.search
        candidates = []
        if search.query:
            for variant in (
                text.to_simplified(search.query),
                text.to_traditional(search.query),
            ):
                if variant != search.query and variant not in {
                    c.label for c in candidates
                }:
                    candidates.append(
                        Suggestion(
                            "script", variant, self.params(q=variant), lang="zh-Hans"
                        )
                    )
            words = text.words_of(search.query)
            if len(words) > 1:
                for word in words:
                    if len(candidates) >= MAX_SUGGESTIONS:
                        break
                    candidates.append(
                        Suggestion(
                            "words", word, self.params(q=word), lang=language_tag(word)
                        )
                    )
        for chip in self.chips:
            candidates.append(Suggestion("without_filter", chip.label, chip.remove))
        if len(self.chips) > 1:
            candidates.append(
                Suggestion(
                    "without_filters",
                    pgettext("search", "Clear filters"),
                    self.clear_filters_params,
                )
            )
        if not candidates:
            return []
        requests = [
            replace(
                _request_from_params(params_of(c.params), search.language),
                page=1,
                per_page=1,
                facets=(),
            )
            for c in candidates
        ]
        try:
            # Through the service: counted without what the public may not see.
            counted = service.search_many(requests)
        except EngineUnavailable:
            return []
        found = []
        for candidate, result in zip(candidates, counted, strict=True):
            candidate.count = result.total
            # Only what would find something: a suggestion is a way on.
            if candidate.count:
                found.append(candidate)
        return found

    # Links -------------------------------------------------------------------

    def params(self, **changes):
        return request_params(self.search, **changes)

    def url(self, **changes):
        return self.url_for(self.params(**changes))

    def url_for(self, params):
        return f"{self.page_url}?{urlencode(params)}" if params else self.page_url

    # What the page shows -----------------------------------------------------

    @property
    def max_results(self):
        return schema.MAX_RESULTS

    @property
    def secondary_facets(self):
        return [facet for facet in self.facets if not facet.primary]

    @property
    def secondary_selected(self):
        return any(facet.selected_count for facet in self.secondary_facets)

    @property
    def dropped_filter_suggestions(self):
        return [
            s
            for s in self.suggestions
            if s.kind in ("without_filter", "without_filters")
        ]

    @property
    def other_suggestions(self):
        return [
            s
            for s in self.suggestions
            if s.kind not in ("without_filter", "without_filters")
        ]

    @property
    def reachable(self):
        return min(self.total, schema.MAX_RESULTS)

    @property
    def is_capped(self):
        """More results than a visitor can page through."""
        return self.total_is_capped or self.total > schema.MAX_RESULTS

    @property
    def first(self):
        return (self.search.page - 1) * self.search.per_page + 1 if self.hits else 0

    @property
    def last(self):
        return self.first + len(self.hits) - 1 if self.hits else 0

    @property
    def status(self):
        """The count a screen reader hears, the text of role=status."""
        if self.unavailable:
            return gettext("Search is not available at the moment.")
        if self.refused:
            return self.refused
        if self.total_is_capped:
            return gettext("More than %(count)s results") % {
                "count": number(self.total)
            }
        return ngettext("%(count)s result", "%(count)s results", self.total) % {
            "count": number(self.total)
        }

    @property
    def range_summary(self):
        if not self.hits:
            return ""
        # The total is in the status line above: said once.
        return gettext("Results %(first)s–%(last)s") % {
            "first": number(self.first),
            "last": number(self.last),
        }

    @property
    def document_title(self):
        title = pgettext("search", "Search")
        if self.search.query:
            title = pgettext("page title", "Search: %(query)s") % {
                "query": self.search.query
            }
        if self.search.page > 1:
            title += " · " + gettext("page %(page)s") % {"page": self.search.page}
        return title

    @property
    def sorts(self):
        return [
            {
                "value": value,
                "label": str(label),
                "current": value == self.search.sort,
                "url": self.url(sort=value),
            }
            for value, label in SORT_LABELS.items()
        ]

    @property
    def pagination(self):
        pages = last_page(self.reachable, self.search.per_page)
        if self.total <= self.search.per_page or pages <= 1:
            return None
        return numbered_links(
            self.search.page, pages, lambda number: self.url(page=number)
        )

    @cached_property
    def catalogue(self):
        return catalogue_page()

    def context(self):
        return {
            "results": self,
            "search": self.search,
            "form": self.form,
            "catalogue": self.catalogue,
            "page_lang": _page_lang(),
        }

    def regions(self):
        """The page's regions its script replaces, rendered as the page does."""
        context = self.context()
        return {
            "results": render_to_string(
                "search/includes/results.html", context, request=self.request
            ),
            "filters": render_to_string(
                "search/includes/filters.html", context, request=self.request
            ),
            "status": self.status,
            "title": self.document_title,
        }

    def as_json(self):
        absolute = self.request.build_absolute_uri
        hits = []
        for hit in self.hits:
            data = {k: v for k, v in hit.items() if k != "date_html"}
            data["title_html"] = str(hit["title_html"])
            data["snippet_html"] = str(hit["snippet_html"])
            for key in ("url", "page_url"):
                if data.get(key):
                    data[key] = absolute(data[key])
            for crumb in data.get("breadcrumb", []):
                crumb["url"] = absolute(crumb["url"]) if crumb["url"] else ""
            hits.append(data)
        search = self.search
        return {
            "query": {
                "q": search.query,
                "title": search.title,
                "creator": search.creator,
                "ref": search.reference,
                "from": search.year_from,
                "to": search.year_to,
                "within": search.within_key or None,
                "filters": {name: list(v) for name, v in search.filters.items()},
                "sort": search.sort,
                "page": search.page,
                "per_page": search.per_page,
                "lang": search.language,
                "scope": search.scope,
            },
            "total": self.total,
            "total_is_capped": self.total_is_capped,
            "max_results": schema.MAX_RESULTS,
            "pages": last_page(self.reachable, search.per_page),
            "took_ms": round(self.took_ms, 2),
            "status": self.status,
            "hits": hits,
            "facets": [
                {
                    "name": facet.name,
                    "label": facet.label,
                    "values": [
                        {
                            "value": entry.value,
                            "label": entry.label,
                            "count": entry.count,
                            "selected": entry.selected,
                        }
                        for entry in facet.values
                    ],
                }
                for facet in self.facets
            ],
            "active_filters": [
                {
                    "param": chip.param,
                    "value": chip.value,
                    "label": chip.label,
                    "remove": urlencode(chip.remove),
                }
                for chip in self.chips
            ],
            "suggestions": [
                {
                    "kind": s.kind,
                    "label": s.label,
                    "count": s.count,
                    "query": urlencode(s.params),
                }
                for s in self.suggestions
            ],
            "page_url": absolute(self.url(page=search.page)),
        }


# Views -----------------------------------------------------------------------


@require_safe
def search_page(request):
    form = SearchForm(request.GET, language=active_language())
    form.is_valid()
    results = Results(request, form).run()
    last = _last_page_if_past_it(request, results)
    if last is not None:
        return HttpResponseRedirect(results.url(page=last))
    context = results.context()
    context.update(
        {
            # Words that cannot be searched are said in the results instead.
            "problems": [
                (name, message)
                for name, message in form.problems()
                if message != results.refused
            ],
            "same_path_in_every_language": True,
            "api_url": reverse("search_api"),
        }
    )
    return TemplateResponse(request, "search/search_page.html", context)


@require_safe
def search_api(request):
    form = SearchForm(request.GET, language="zh-hans", api=True)
    with translation.override(form.language):
        # Named back in full would let a client echo anything: ten, shortened.
        unknown = [name[:40] for name in form.unknown_parameters()[:10]]
        if unknown:
            return _error(
                400,
                "unknown_parameters",
                gettext("Unknown parameters: %(names)s.")
                % {"names": ", ".join(unknown)},
                parameters=unknown,
            )
        if not form.is_valid():
            problems = form.problems()
            return _error(
                400,
                "invalid_parameters",
                " ".join(f"{name}: {message}" for name, message in problems),
                errors={
                    name: [str(m) for m in messages]
                    for name, messages in form.errors.items()
                },
            )
        results = Results(request, form).run()
        if results.unavailable:
            return _error(503, "unavailable", results.status)
        last = _last_page_if_past_it(request, results)
        if last is not None:
            # Refused like any value that cannot be used: a client paging on
            # until it gets nothing learns where the results end instead.
            message = gettext("There is no page %(page)s: the last is page %(last)d.")
            message %= {"page": form.cleaned_data["page"], "last": last}
            return _error(
                400,
                "invalid_parameters",
                f"page: {message}",
                errors={"page": [message]},
                last_page=last,
            )
        payload = results.as_json()
        if form.cleaned_data.get("html"):
            payload["html"] = results.regions()
        return _json(payload)


# Helpers ---------------------------------------------------------------------


def catalogue_page():
    """The catalogue page in the visitor's language, else the default one."""
    pages = CatalogueIndexPage.objects.live().public()
    return (
        pages.filter(locale=Locale.get_active()).first()
        or pages.filter(locale=Locale.get_default()).first()
    )


def _last_page_if_past_it(request, results):
    """The last page when a page past it was asked for, else None: a page of
    nothing under a count of something would contradict itself."""
    asked = request.GET.get("page", "").strip()
    if not asked.isdigit() or results.unavailable or results.refused:
        return None
    last = last_page(results.reachable, results.search.per_page)
    return last if int(asked) > last else None


def params_of(pairs):
    data = QueryDict(mutable=True)
    for key, value in pairs:
        data.appendlist(key, value)
    return data


def _request_from_params(data, language):
    form = SearchForm(data, language=language)
    form.is_valid()
    return form.search_request()


def _page_id(document):
    identifier = str(document.get("id", ""))
    digits = identifier.removeprefix("page")
    return int(digits) if digits.isdigit() else None


def _page_lang():
    return "en" if active_language() == "en" else "zh-Hans"


def _chip(name, value):
    return pgettext("active search filter", "%(filter)s: %(value)s") % {
        "filter": name,
        "value": value,
    }


def _years(start, end):
    if start is not None and end is not None:
        if start == end:
            return pgettext("year alone", "%(year)s") % {"year": start}
        return pgettext("years", "%(start)s–%(end)s") % {"start": start, "end": end}
    if start is not None:
        return pgettext("years", "from %(year)s") % {"year": start}
    return pgettext("years", "until %(year)s") % {"year": end}


def _facet_order(name):
    if name == "type":
        order = {value: i for i, value in enumerate(RECORD_TYPES + SITE_TYPES)}
        return lambda entry: order.get(entry.value, len(order))
    if name == "decade":
        return lambda entry: int(entry.value)
    if name == "digital":
        return lambda entry: entry.value != "yes"
    return lambda entry: (-entry.count, entry.label)


def _json(payload, status=200):
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        status=status,
    )
    # Public data any site may use; never kept, so a record that leaves the
    # public leaves the answers with it.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


def _error(status, code, message, **extra):
    return _json({"error": code, "message": message, **extra}, status=status)


__all__ = ["Results", "search_api", "search_page"]
