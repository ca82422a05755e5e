"""The search parameters: what the page and the API accept, refuse and fall back to."""

from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.utils import translation

from search import schema
from search.engines.base import HIGHLIGHT_POST, HIGHLIGHT_PRE, SearchRequest
from search.forms import (
    DEFAULT_PER_PAGE,
    MAX_QUERY_LENGTH,
    SearchForm,
    request_params,
)
from search.highlight import highlight, plain
from tests.factories import (
    FileFactory,
    FondsFactory,
    RepositoryFactory,
    ThematicCollectionIndexPageFactory,
    ThematicCollectionPageFactory,
)


def form(query="", **options):
    bound = SearchForm(QueryDict(query), **options)
    bound.is_valid()
    return bound


# What is accepted -----------------------------------------------------------------


def test_an_empty_search_asks_for_everything_with_every_facet():
    with translation.override("zh-hans"):
        request = form().search_request()
    assert request == SearchRequest(
        language="zh-hans", facets=schema.FACETS, per_page=DEFAULT_PER_PAGE
    )


@pytest.fixture
def existing(bilingual_site):
    """A repository, its open fonds and a live collection: what the filters
    `repository`, `fonds` and `collection` may name."""
    repository = RepositoryFactory(code="120101")
    FondsFactory(repository=repository, reference_code="J0001")
    index = ThematicCollectionIndexPageFactory(parent=bilingual_site.home)
    return ThematicCollectionPageFactory(parent=index)


def test_every_parameter_reaches_the_request(existing):
    bound = form(
        "q=码头+扩建&title=呈文&creator=海关&ref=J0001-001&from=1949&to=1956"
        "&type=file&type=item&repository=120101&decade=1950&digital=yes"
        f"&language=chi&medium=纸质&collection={existing.pk}&fonds=120101/J0001"
        "&sort=date_desc&page=2&per_page=50"
    )
    assert bound.errors == {}
    request = bound.search_request()
    assert request.query == "码头 扩建"
    assert (request.title, request.creator, request.reference) == (
        "呈文",
        "海关",
        "J0001-001",
    )
    assert (request.year_from, request.year_to) == (1949, 1956)
    assert request.filters == {
        "type": ("file", "item"),
        "repository": ("120101",),
        "decade": ("1950",),
        "digital": ("yes",),
        "language": ("chi",),
        "medium": ("纸质",),
        "collection": (str(existing.pk),),
        "fonds": ("120101/J0001",),
    }
    assert (request.sort, request.page, request.per_page) == ("date_desc", 2, 50)


def test_reference_codes_are_normalised_as_the_catalogue_writes_them():
    assert form("ref=ｊ０００１－００１").search_request().reference == "J0001-001"


def test_full_width_digits_are_years_and_pages():
    request = form("from=１９４９&page=２").search_request()
    assert (request.year_from, request.page) == (1949, 2)


def test_the_language_follows_the_visitor():
    with translation.override("en"):
        assert form().search_request().language == "en"
    with translation.override("zh-hans"):
        assert form().search_request().language == "zh-hans"
    assert form(language="en").search_request().language == "en"


def test_the_api_takes_its_language_from_lang():
    bound = form("lang=en", language="zh-hans", api=True)
    assert bound.errors == {}
    assert bound.search_request().language == "en"


@pytest.mark.django_db
def test_within_must_be_an_open_record():
    fonds = FondsFactory()
    closed = FileFactory(access_status="closed")
    named = f"{fonds.repository.code}/{fonds.reference_code}"
    request = form(f"within={named}").search_request()
    assert (request.within, request.within_key) == (fonds.pk, named)
    # A database id is not a name; a closed record and one that does not
    # exist get the same answer.
    assert "within" in form(f"within={fonds.pk}").errors
    closed_form = form(f"within={closed.repository.code}/{closed.reference_code}")
    missing_form = form(f"within={fonds.repository.code}/X9999")
    assert closed_form.errors["within"] == missing_form.errors["within"]
    assert closed_form.search_request().within is None


def test_a_saved_search_is_read_from_its_query_string(existing):
    bound = SearchForm.from_querystring(
        "?repository=120101&type=file&decade=1950", query="码头", language="en"
    )
    assert bound.is_valid(), bound.errors
    request = bound.search_request()
    assert request.query == "码头"
    assert request.language == "en"
    assert request.filters == {
        "repository": ("120101",),
        "type": ("file",),
        "decade": ("1950",),
    }


# What is refused, and what the page searches with instead -------------------------


@pytest.mark.parametrize(
    ("query", "parameter", "fallback"),
    [
        ("page=abc", "page", ("page", 1)),
        ("page=0", "page", ("page", 1)),
        ("page=-3", "page", ("page", 1)),
        ("from=19x0", "from", ("year_from", None)),
        ("to=1_949", "to", ("year_to", None)),
        ("per_page=10000", "per_page", ("per_page", DEFAULT_PER_PAGE)),
        ("per_page=0", "per_page", ("per_page", DEFAULT_PER_PAGE)),
        ("sort=title", "sort", ("sort", schema.SORT_RELEVANCE)),
        ("ref=J0001<script>", "ref", ("reference", "")),
        ("within=abc", "within", ("within_key", "")),
    ],
)
@pytest.mark.django_db
def test_a_malformed_value_is_refused_and_replaced(query, parameter, fallback):
    bound = form(query)
    assert parameter in bound.errors
    assert [name for name, _message in bound.problems()] == [parameter]
    attribute, value = fallback
    assert getattr(bound.search_request(), attribute) == value


def test_paging_past_the_reachable_results_is_refused():
    # 20 a page: page 50 holds results 981–1000, the last that can be shown.
    assert "page" not in form("page=50").errors
    deep = form("page=51")
    assert "page" in deep.errors
    assert "1000" in deep.errors["page"][0]
    assert deep.search_request().page == 50
    assert form("page=11&per_page=100").search_request().page == 10


def test_an_overlong_query_is_refused_and_cut():
    bound = form(f"q={'档' * (MAX_QUERY_LENGTH + 5)}")
    assert "q" in bound.errors
    assert bound.search_request().query == "档" * MAX_QUERY_LENGTH


def test_years_the_wrong_way_round_are_refused():
    bound = form("from=1960&to=1950")
    assert "to" in bound.errors
    request = bound.search_request()
    assert (request.year_from, request.year_to) == (1960, None)


def test_facet_values_are_checked_and_the_good_ones_kept():
    bound = form("decade=19x0&decade=1950&type=file&type=folder&digital=maybe")
    assert set(bound.errors) == {"decade", "type", "digital"}
    assert "19x0" in bound.errors["decade"][0]
    assert bound.search_request().filters == {"decade": ("1950",), "type": ("file",)}


def test_a_facet_takes_a_limited_number_of_values():
    many = "&".join(f"decade={1000 + 10 * n}" for n in range(30))
    bound = form(many)
    assert "decade" in bound.errors
    assert len(bound.search_request().filters["decade"]) == 20


def test_empty_values_are_no_values():
    bound = form("q=&from=&to=&type=&sort=&page=&per_page=")
    assert bound.errors == {}
    assert bound.search_request() == form().search_request()


def test_unknown_parameters_are_named():
    assert form("q=码头&foo=1&utm_source=x").unknown_parameters() == [
        "foo",
        "utm_source",
    ]
    # lang, scope and html are the API's: the page does not know them.
    assert form("lang=en").unknown_parameters() == ["lang"]
    assert form("lang=en&scope=site&html=1", api=True).unknown_parameters() == []


def test_the_api_checks_its_own_parameters():
    bound = form("lang=fr&scope=everything", api=True)
    assert set(bound.errors) == {"lang", "scope"}


# Links -----------------------------------------------------------------------------


def test_a_request_written_as_a_link_reads_back_the_same():
    request = form(
        "q=码头&type=file&type=item&from=1950&sort=date_asc&page=3&per_page=50"
    ).search_request()
    again = SearchForm(_query_dict(request_params(request)))
    assert again.is_valid()
    assert again.search_request() == request


def test_links_leave_out_defaults_and_refused_values():
    request = form("q=码头&page=abc&sort=relevance&per_page=20").search_request()
    assert request_params(request) == [("q", "码头")]


def test_changing_anything_but_the_page_returns_to_page_one():
    request = form("q=码头&page=3").search_request()
    assert ("page", "3") in request_params(request)
    assert request_params(request, sort="date_asc") == [
        ("q", "码头"),
        ("sort", "date_asc"),
    ]
    assert ("page", "4") in request_params(request, page=4)


def _query_dict(pairs):
    data = QueryDict(mutable=True)
    for key, value in pairs:
        data.appendlist(key, value)
    return data


# Highlights --------------------------------------------------------------------------


def test_highlights_become_marks_and_everything_else_is_escaped():
    hostile = (
        f'<script>alert("x")</script> {HIGHLIGHT_PRE}档案{HIGHLIGHT_POST}'
        f' <img src=x onerror=alert(1)> & "引号"'
    )
    html = highlight(hostile)
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<mark>档案</mark>" in html
    assert "&amp; &quot;引号&quot;" in html
    assert plain(hostile) == hostile.replace(HIGHLIGHT_PRE, "").replace(
        HIGHLIGHT_POST, ""
    )


def test_unbalanced_highlights_still_give_balanced_html():
    assert highlight(f"码头{HIGHLIGHT_PRE}扩建") == "码头<mark>扩建</mark>"
    assert highlight(f"码头{HIGHLIGHT_POST}扩建") == "码头扩建"
    assert highlight(f"{HIGHLIGHT_PRE}{HIGHLIGHT_POST}码头") == "码头"
    assert highlight(f"{HIGHLIGHT_PRE}<b>{HIGHLIGHT_PRE}x") == (
        "<mark>&lt;b&gt;x</mark>"
    )
    assert highlight("") == ""
    assert highlight(None) == ""


# Filters that name nothing, and words that cannot be searched (issue 13) ---------


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("repository=nope", "repository"),
        ("repository=999999", "repository"),
        ("fonds=nope", "fonds"),
        ("fonds=120101/J9999", "fonds"),
        ("collection=999999", "collection"),
    ],
)
def test_a_value_that_names_nothing_is_refused_like_a_malformed_one(
    existing, query, parameter
):
    bound = form(query)
    assert list(bound.errors) == [parameter]
    assert "nope" in bound.errors[parameter][0] or "999" in str(bound.errors)
    assert parameter not in bound.search_request().filters
    # Positive control: what exists is taken, and kept beside what does not.
    assert form("repository=120101&fonds=120101/J0001").errors == {}
    kept = form("repository=120101&repository=nope").search_request()
    assert kept.filters == {"repository": ("120101",)}


@pytest.mark.django_db
def test_a_closed_fonds_is_refused_as_a_missing_one():
    closed = FondsFactory(access_status="closed")
    key = f"{closed.repository.code}/{closed.reference_code}"
    missing = f"{closed.repository.code}/J9999"
    assert str(form(f"fonds={key}").errors["fonds"]).replace(key, "X") == str(
        form(f"fonds={missing}").errors["fonds"]
    ).replace(missing, "X")


@pytest.mark.parametrize("query", ["😀", "%", "^", "-", "“…”", '"', "%^"])
def test_symbols_alone_cannot_be_searched(query):
    bound = form(f"q={quote(query)}")
    assert "q" in bound.errors
    assert bound.words_refused()
    assert form("q=海关").words_refused() == ""
    assert form("q=J0001-001").errors == {}
    assert form("q=1949").errors == {}


def test_an_overlong_query_cannot_be_searched():
    bound = form(f"q={'档' * 3000}")
    assert "3000" in bound.words_refused()
    assert form(f"q={'档' * MAX_QUERY_LENGTH}").words_refused() == ""
