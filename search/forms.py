"""The parameters of a search, as the search page and the JSON API read them.

One form serves both. The API refuses what it cannot use (400 with a message
naming the parameter); the page says what it left out and searches with the
rest, so a mistyped address never ends in an error page. Either way the engine
only ever sees a validated `SearchRequest`.

    q           words; "quoted phrases" stay together
    title       words in the title        creator   words in 责任者
    ref         档号, exact or a prefix at a dash (J0001-001)
    from, to    years (inclusive)         within    an open record, as
                                          "<repository code>/<档号>"
    <facet>     one per schema.FACETS, repeatable: OR within, AND across
    sort        relevance | date_asc | date_desc
    page, per_page
    lang        (API) zh-hans | en        scope     (API) all | catalogue | site
    html        (API) also the page's rendered regions, for the page's script
"""

import math
import re
import unicodedata

from django import forms
from django.http import QueryDict
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from catalogue import reference
from catalogue.models import Level, Record, Repository

from . import schema
from .engines.base import SearchRequest

MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_FACET = 20
DEFAULT_PER_PAGE = 20
MIN_YEAR, MAX_YEAR = 1, 9999
LANGUAGES = ("zh-hans", "en")
SCOPES = ("all", "catalogue", "site")

# The kinds of thing a hit can be: a record's level, or a kind of site page.
RECORD_TYPES = tuple(Level.values)
SITE_TYPES = ("exhibition", "chapter", "collection", "chronicle", "page")

# What a value of each facet looks like; anything else is refused.
FACET_VALUE = {
    "type": re.compile("^(?:" + "|".join(RECORD_TYPES + SITE_TYPES) + ")$"),
    "repository": re.compile(r"^[\w.\-·]{1,32}$"),
    # "<repository code>/<档号>" (search.documents.fonds_key).
    "fonds": re.compile(r"^[\w.\-·]{1,32}/[^\s/\x00-\x1f]{1,100}$"),
    "decade": re.compile(r"^[0-9]{0,3}0$"),
    "medium": re.compile(r"^[^\x00-\x1f]{1,50}$"),
    "digital": re.compile(r"^(?:yes|no)$"),
    "language": re.compile(r"^[a-z]{2,3}$"),
    "collection": re.compile(r"^[0-9]{1,12}$"),
}
# The parameters in the order links write them.
ORDER = ("q", "title", "creator", "ref", "from", "to", "within", *schema.FACETS)


def active_language():
    """The visitor's language as search knows it: "zh-hans" or "en"."""
    code = translation.get_language() or ""
    return "en" if code.startswith("en") else "zh-hans"


def _clean_text(value):
    # NFKC folds full-width letters and digits; control characters go.
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(c for c in value if c >= " " or c == " ").strip()


# A letter, a digit or a Han character: what makes a query something to find.
WORD_CHARACTER = re.compile(r"[^\W_]")
# The errors of words that cannot be searched at all: the page then searches
# for nothing rather than for everything (symbols alone match every record).
UNSEARCHABLE = ("max_length", "no_words")


class WordsField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            max_length=MAX_QUERY_LENGTH,
            error_messages={
                "max_length": _(
                    "Use at most %(limit_value)d characters (this has %(show_value)d)."
                ),
                "no_words": _(
                    "Give words, numbers or a reference code: symbols alone "
                    "cannot be searched."
                ),
            },
            **kwargs,
        )

    def to_python(self, value):
        return _clean_text(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value and not WORD_CHARACTER.search(value):
            raise forms.ValidationError(self.error_messages["no_words"], "no_words")


class WholeNumberField(forms.IntegerField):
    def __init__(self, message, **kwargs):
        messages = dict.fromkeys(("invalid", "min_value", "max_value"), message)
        super().__init__(required=False, error_messages=messages, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip()
            # int() would accept "1_000" and " 12 ": a visitor means digits.
            if value and not value.isdigit():
                raise forms.ValidationError(self.error_messages["invalid"])
        return super().to_python(value)


class FacetField(forms.Field):
    """The selected values of one facet (a repeated parameter)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, name, **kwargs):
        self.facet = name
        super().__init__(required=False, **kwargs)

    def valid_values(self, values):
        """The values that can be used, cleaned, in order, each once."""
        kept = []
        for value in values or ():
            value = _clean_text(str(value))
            if FACET_VALUE[self.facet].match(value) and value not in kept:
                kept.append(value)
        return kept[:MAX_VALUES_PER_FACET]

    def to_python(self, value):
        values = [v for v in (value or ()) if _clean_text(str(v))]
        kept = self.valid_values(values)
        refused = [v for v in values if _clean_text(str(v)) not in kept]
        if len(set(map(_clean_text, values))) > MAX_VALUES_PER_FACET:
            raise forms.ValidationError(
                _("Choose at most %(max)d values."),
                params={"max": MAX_VALUES_PER_FACET},
            )
        if refused:
            raise forms.ValidationError(
                _("Not a value of this filter: %(values)s."),
                params={"values": ", ".join(v[:40] for v in refused[:5])},
            )
        return tuple(kept)


class SearchForm(forms.Form):
    q = WordsField()
    title = WordsField()
    creator = WordsField()
    ref = forms.CharField(required=False, max_length=reference.MAX_LENGTH)
    # Named like the `fonds` facet (search.documents.fonds_key): a database
    # id in a public link would tell how many records are hidden.
    within = forms.CharField(required=False, max_length=140)
    sort = forms.ChoiceField(
        required=False,
        choices=[(name, name) for name in schema.SORTS],
        error_messages={"invalid_choice": _("Use relevance, date_asc or date_desc.")},
    )
    page = WholeNumberField(_("Give a page number: 1, 2, 3…"), min_value=1)
    per_page = WholeNumberField(
        format_lazy(_("Give a number from 1 to {max}."), max=schema.MAX_PER_PAGE),
        min_value=1,
        max_value=schema.MAX_PER_PAGE,
    )

    def __init__(self, data=None, *, language=None, api=False):
        super().__init__(data if data is not None else QueryDict())
        year = _("Give a year as digits, such as 1956.")
        # "from" is a Python keyword: these two cannot be class attributes.
        for name in ("from", "to"):
            self.fields[name] = WholeNumberField(
                year, min_value=MIN_YEAR, max_value=MAX_YEAR
            )
        for name in schema.FACETS:
            self.fields[name] = FacetField(name)
        self.api = api
        if api:
            self.fields["lang"] = forms.ChoiceField(
                required=False,
                choices=[(code, code) for code in LANGUAGES],
                error_messages={"invalid_choice": _("Use zh-hans or en.")},
            )
            self.fields["scope"] = forms.ChoiceField(
                required=False,
                choices=[(code, code) for code in SCOPES],
                error_messages={"invalid_choice": _("Use all, catalogue or site.")},
            )
            self.fields["html"] = forms.BooleanField(required=False)
        self._language = language
        self.within_record = None
        # facet -> the values that exist, where some given do not.
        self._existing = {}

    @classmethod
    def from_querystring(cls, querystring, query="", language="zh-hans"):
        """A search kept as a query string (a thematic collection's saved
        search), with its words given apart."""
        data = QueryDict((querystring or "").lstrip("?"), mutable=True)
        if query:
            data["q"] = query
        return cls(data, language=language)

    # Reading -----------------------------------------------------------------

    @property
    def language(self):
        if self.api and self.is_bound and self.data.get("lang") in LANGUAGES:
            return self.data["lang"]
        return self._language or active_language()

    def unknown_parameters(self):
        return sorted(set(self.data) - set(self.fields))

    def clean_ref(self):
        written = self.cleaned_data.get("ref", "")
        if not _clean_text(written):
            return ""
        try:
            return reference.parse(written).code
        except reference.InvalidReferenceCode as error:
            raise forms.ValidationError(
                _("Not a reference code (%(problem)s)."), params={"problem": error}
            ) from error

    def clean_within(self):
        key = _clean_text(self.cleaned_data.get("within", ""))
        if not key:
            return ""
        if not FACET_VALUE["fonds"].match(key):
            raise forms.ValidationError(
                _("Give an open record as its repository code, “/” and its 档号.")
            )
        repository_code, reference_code = key.split("/", 1)
        # The same answer for a closed record and a missing one: nothing leaks.
        record = (
            Record.objects.public()
            .filter(repository__code=repository_code, reference_code=reference_code)
            .first()
        )
        if record is None:
            raise forms.ValidationError(_("There is no open record with this code."))
        self.within_record = record
        return key

    def _clean_existing(self, name, exists):
        """Refuse the well-formed values of a facet that name nothing public,
        as a malformed one is refused: `repository=nope` like `fonds=nope`."""
        values = self.cleaned_data.get(name) or ()
        known = exists(values) if values else set()
        unknown = [v for v in values if v not in known]
        if unknown:
            self._existing[name] = tuple(v for v in values if v in known)
            raise forms.ValidationError(
                _("Not a value of this filter: %(values)s."),
                params={"values": ", ".join(v[:40] for v in unknown[:5])},
            )
        return values

    def clean_repository(self):
        return self._clean_existing("repository", _existing_repositories)

    def clean_fonds(self):
        return self._clean_existing("fonds", _existing_fonds)

    def clean_collection(self):
        return self._clean_existing("collection", _existing_collections)

    def words_refused(self):
        """The message when the words cannot be searched at all, else ""."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        for name in ("q", "title", "creator"):
            for error in self.errors.as_data().get(name, ()):
                if error.code in UNSEARCHABLE:
                    return str(error.messages[0])
        return ""

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start is not None and end is not None and start > end:
            self.add_error("to", _("The end year is before the start year."))
        page, per_page = data.get("page"), data.get("per_page") or DEFAULT_PER_PAGE
        if page is not None and page * per_page > schema.MAX_RESULTS:
            self.add_error(
                "page",
                forms.ValidationError(
                    _(
                        "Only the first %(max)d results can be shown: at most page "
                        "%(last)d at %(per_page)d a page."
                    ),
                    params={
                        "max": schema.MAX_RESULTS,
                        "last": last_page(schema.MAX_RESULTS, per_page),
                        "per_page": per_page,
                    },
                ),
            )
        return data

    def problems(self):
        """[(parameter, message)] of what could not be used."""
        return [
            (name, str(message))
            for name, messages in self.errors.items()
            for message in messages
        ]

    # The request -------------------------------------------------------------

    def value(self, name, default=None):
        """A parameter's validated value; where it was refused, what the page
        searches with instead."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        if name not in self.errors:
            value = self.cleaned_data.get(name)
            return default if value in (None, "") else value
        raw = self.data.get(name, "")
        if name in ("q", "title", "creator"):
            return _clean_text(raw)[:MAX_QUERY_LENGTH]
        if name == "page":
            try:
                self.fields["page"].clean(raw)
            except forms.ValidationError:
                return default
            # A page number past the reachable ones: the last that can be shown.
            return last_page(
                schema.MAX_RESULTS, self.value("per_page", DEFAULT_PER_PAGE)
            )
        if name in schema.FACETS:
            if name in self._existing:
                return self._existing[name]
            return tuple(self.fields[name].valid_values(self.data.getlist(name)))
        return default

    def search_request(self):
        return SearchRequest(
            query=self.value("q", ""),
            title=self.value("title", ""),
            creator=self.value("creator", ""),
            reference=self.value("ref", ""),
            filters={
                name: values
                for name in schema.FACETS
                if (values := self.value(name, ()))
            },
            year_from=self.value("from"),
            year_to=self.value("to"),
            within=self.within_record.pk if self.value("within") else None,
            within_key=self.value("within", ""),
            sort=self.value("sort", schema.SORT_RELEVANCE),
            page=self.value("page", 1),
            per_page=self.value("per_page", DEFAULT_PER_PAGE),
            language=self.language,
            facets=schema.FACETS,
            scope=self.value("scope", "all") if self.api else "all",
        )


def _existing_repositories(values):
    return set(
        Repository.objects.filter(code__in=values).values_list("code", flat=True)
    )


def _existing_fonds(values):
    # A value is "<repository code>/<档号>" (search.documents.fonds_key); a
    # closed fonds and a missing one get the same answer.
    pairs = {tuple(v.split("/", 1)) for v in values}
    found = Record.objects.public().filter(
        level=Level.FONDS,
        repository__code__in={code for code, _ref in pairs},
        reference_code__in={ref for _code, ref in pairs},
    )
    keys = {
        f"{code}/{ref}"
        for code, ref in found.values_list("repository__code", "reference_code")
    }
    return {v for v in values if v in keys}


def _existing_collections(values):
    from exhibitions.models import ThematicCollectionPage

    pages = ThematicCollectionPage.objects.live().public()
    return {str(pk) for pk in pages.filter(pk__in=values).values_list("pk", flat=True)}


def last_page(total, per_page):
    return max(1, math.ceil(min(total, schema.MAX_RESULTS) / per_page))


def request_params(request: SearchRequest, **changes):
    """The query-string pairs that ask for `request` again, with `changes`.

    Written from the validated request, so a link never carries a refused
    value; defaults are left out. A change to anything but the page returns
    to page 1, as a new search should.
    """
    values = {
        "q": request.query,
        "title": request.title,
        "creator": request.creator,
        "ref": request.reference,
        "from": request.year_from,
        "to": request.year_to,
        "within": request.within_key,
        "sort": request.sort,
        "page": request.page,
        "per_page": request.per_page,
    }
    for name in schema.FACETS:
        values[name] = request.filters.get(name, ())
    if set(changes) - {"page"}:
        values["page"] = 1
    values.update(changes)
    pairs = []
    for name in (*ORDER, "sort", "page", "per_page"):
        value = values.get(name)
        if name in schema.FACETS:
            pairs.extend((name, item) for item in value or ())
        elif value in (None, "", ()) or (name, value) in (
            ("sort", schema.SORT_RELEVANCE),
            ("page", 1),
            ("per_page", DEFAULT_PER_PAGE),
        ):
            continue
        else:
            pairs.append((name, str(value)))
    return pairs
