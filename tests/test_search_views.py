"""The search page: server-rendered results from the real local engine.

Documents are indexed by the real indexing code (tests.search_fixtures); the
page reads them back through the public gate.
"""

import re
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.utils import timezone

from catalogue.models import Record
from search import schema, service
from search.engines.base import EngineUnavailable, SearchResult
from tests.search_fixtures import indexed_catalogue, search_engine  # noqa: F401
from tests.test_catalogue_pages import catalogue  # noqa: F401


@pytest.fixture
def catalogue_pages(catalogue):  # noqa: F811
    """档案查询 / Catalogue: the pages records link to."""
    return catalogue


@pytest.fixture
def searchable(catalogue_pages, indexed_catalogue):  # noqa: F811
    """The indexed catalogue, with catalogue pages to link records to."""
    return indexed_catalogue


def get(client, query="", language="zh-hans"):
    response = client.get(f"/{language}/search/", QUERY_STRING=quote(query, safe="=&+"))
    assert response.status_code == 200
    return response, response.content.decode()


def region(html, element_id):
    """The inside of one element of the page, found by its id."""
    start = html.index(f'id="{element_id}"')
    start = html.index(">", start) + 1
    depth, position = 1, start
    tag = re.compile(r"<(/?)div\b")
    while depth:
        found = tag.search(html, position)
        depth += -1 if found.group(1) else 1
        position = found.end()
    return html[start : found.start()]


def hit_codes(html):
    return re.findall(
        r'<span class="code">([^<]+)</span>', region(html, "search-results")
    )


def status(html):
    return unescape(re.search(r'role="status">([^<]*)<', html).group(1))


# The page -----------------------------------------------------------------------------


def test_the_page_is_a_plain_get_form_in_a_search_landmark(client, searchable):
    _, html = get(client, "q=档案")
    landmark = html[html.index("<search") : html.index("</search>")]
    assert '<form id="search-form" action="/zh-hans/search/" method="get"' in landmark
    assert '<label class="search-form__label" for="search-q">' in landmark
    assert 'name="q" value="档案"' in landmark
    assert '<button class="search-form__button" type="submit">' in landmark
    # Fielded search waits behind a disclosure.
    assert '<details class="advanced">' in landmark
    for name in ("title", "creator", "ref", "from", "to"):
        assert f'name="{name}"' in landmark
    # The page's own box replaces the header's: one search landmark.
    assert html.count("<search") == 1
    assert "js/search" in html and "css/search" in html


def test_the_count_is_in_a_status_region_from_the_start(client, searchable):
    _, html = get(client, "q=档案")
    assert status(html) == "共 4 条结果"
    # The count is said once: the range above the hits does not repeat it.
    assert html.count("共 4 条") == 1
    _, english = get(client, "q=海关", language="en")
    assert status(english) == "4 results"
    assert "Results 1–4" in english
    assert english.count("of 4") == 0 and english.count("4 results") == 1


def test_hits_show_title_type_reference_date_repository_and_path(client, searchable):
    _, html = get(client, "q=往来")
    results = region(html, "search-results")
    item = searchable.tianjin
    assert (
        f'<a href="/zh-hans/catalogue/{item.repository.code}/{item.reference_code}/">'
        "天津市档案馆藏滨江海关<mark>往来</mark>函件</a>" in results
    )
    assert '<p class="hit__type">件</p>' in results
    assert f'<span class="code">{item.reference_code}</span>' in results
    assert '<time datetime="1931-05-04">1931年5月4日</time>' in results
    assert item.repository.name in results
    path = re.search(r'<p class="hit__path">(.*?)</p>', results).group(1)
    assert re.findall(r">([^<>]+)</a>", path) == [
        "滨江海关",
        "关务类",
        "1931年关务文件",
    ]
    assert f'href="/zh-hans/catalogue/{item.repository.code}/J0001/"' in path


def test_a_full_text_hit_links_to_its_page(client, searchable):
    _, html = get(client, "q=仓库租金")
    customs = searchable.customs
    record = f"/zh-hans/catalogue/{customs.repository.code}/{customs.reference_code}/"
    assert hit_codes(html) == [customs.reference_code]
    snippet = re.search(r'<p class="hit__snippet">(.*?)</p>', html).group(1)
    assert f'<a class="hit__page" href="{record}#page=2">第 2 页</a>' in snippet
    assert "码头<mark>仓库租金</mark>收入" in snippet


def test_english_pages_link_to_english_permalinks_and_mark_chinese_text(
    client, searchable
):
    _, html = get(client, "q=往来", language="en")
    item = searchable.tianjin
    assert (
        f'<a href="/en/catalogue/{item.repository.code}/{item.reference_code}/" '
        'lang="zh-Hans">' in html
    )
    assert '<p class="hit__type">Item</p>' in html
    assert "4 May 1931" in html


def test_site_pages_are_found_and_link_to_themselves(client, searchable):
    _, html = get(client, "q=开放档案目录")
    results = region(html, "search-results")
    assert '<a href="/zh-hans/catalogue/">' in results
    assert "<mark>" in results


# The gate at render -------------------------------------------------------------------


def test_a_record_closed_since_indexing_is_not_shown(client, searchable):
    _, before = get(client, "q=档案")
    assert searchable.tianjin.reference_code in hit_codes(before)
    # Closed behind the index's back: no signal, the document stays indexed.
    Record.objects.filter(pk=searchable.tianjin.pk).update(gate_open=False)
    _, after = get(client, "q=档案")
    assert searchable.tianjin.reference_code not in hit_codes(after)
    assert "天津市档案馆藏" not in after
    assert status(after) == "共 3 条结果"
    api = client.get("/api/search", {"q": "档案"}).json()
    assert searchable.tianjin.reference_code not in [
        hit.get("reference_code") for hit in api["hits"]
    ]
    assert api["total"] == 3


def test_a_record_not_yet_open_is_not_shown(client, searchable):
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    Record.objects.filter(pk=searchable.customs.pk).update(gate_opens_on=tomorrow)
    _, html = get(client, "q=仓库租金")
    assert hit_codes(html) == []
    assert "仓库租金收入" not in html


def test_hostile_catalogue_text_is_escaped(client, searchable):
    from search import indexing

    Record.objects.filter(pk=searchable.english.pk).update(
        title='<script>alert("x")</script> Customs <b>returns</b>',
        title_en='<script>alert("x")</script> Customs <b>returns</b>',
    )
    indexing.rebuild(schema.CATALOGUE, searchable.engine)
    _, html = get(client, "q=returns", language="en")
    results = region(html, "search-results")
    assert "<script>alert" not in results
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in results
    assert "&lt;b&gt;<mark>returns</mark>&lt;/b&gt;" in results


# Facets and filters -------------------------------------------------------------------


def facet_values(html, name):
    """{value: (count, checked, disabled)} of one facet as rendered."""
    values = {}
    for match in re.finditer(
        rf'<input class="facet__input" type="checkbox" id="[^"]+" name="{name}" '
        r'value="([^"]+)" form="search-form"( checked)?( disabled)?>\s*'
        r'<label[^>]*>.*?<span class="facet__count">([\d,]+)</span>',
        html,
        re.S,
    ):
        value, checked, disabled, count = match.groups()
        values[value] = (int(count.replace(",", "")), bool(checked), bool(disabled))
    return values


def test_facets_count_every_value_and_hide_the_empty_ones(client, searchable):
    _, html = get(client, "q=海关")
    types = facet_values(html, "type")
    # A value that would find nothing is not offered at all.
    assert types == {"fonds": (1, False, False), "item": (3, False, False)}
    assert all(count for count, _, _ in facet_values(html, "digital").values())
    assert facet_values(html, "decade") == {
        "1920": (1, False, False),
        "1930": (1, False, False),
        "1940": (1, False, False),
    }
    assert "1930年代" in html


def test_facets_narrow_or_within_and_across(client, searchable):
    _, items = get(client, "q=海关&type=item")
    assert len(hit_codes(items)) == 3
    # Checked, and the other value's count stays (OR within a facet).
    assert facet_values(items, "type")["item"] == (3, True, False)
    assert facet_values(items, "type")["fonds"] == (1, False, False)
    _, both = get(client, "q=海关&type=item&type=fonds")
    assert len(hit_codes(both)) == 4
    _, narrowed = get(client, "q=海关&type=item&decade=1940")
    assert hit_codes(narrowed) == [searchable.customs.reference_code]


def test_active_filters_can_be_removed_one_by_one_or_all_at_once(client, searchable):
    _, html = get(client, "q=海关&type=item&decade=1940&from=1900&to=1950")
    bar = html[html.index('class="active-filters"') :]
    bar = bar[: bar.index("</ul>")]
    chips = {
        unescape(re.sub(r"<[^>]+>", "", label)).strip(): unescape(href)
        for href, label in re.findall(
            r'<a class="chip" href="([^"]+)"[^>]*>(.*?)</a>', bar
        )
    }
    assert set(chips) == {
        "移除筛选条件 类型：件×",
        "移除筛选条件 年代：1940年代×",
        "移除筛选条件 年份：1900–1950年×",
    }
    removed = parse_qs(urlsplit(chips["移除筛选条件 类型：件×"]).query)
    assert removed == {
        "q": ["海关"],
        "from": ["1900"],
        "to": ["1950"],
        "decade": ["1940"],
    }
    clear = unescape(
        re.search(r'class="active-filters__clear" href="([^"]+)"', bar).group(1)
    )
    assert clear == "/zh-hans/search/?q=%E6%B5%B7%E5%85%B3"


def test_search_within_a_record_shows_it_as_a_removable_filter(client, searchable):
    _, html = get(client, f"q=海关&within={named(searchable.file)}")
    assert searchable.fonds.reference_code not in hit_codes(html)
    assert searchable.tianjin.reference_code in hit_codes(html)
    assert "范围：1931年关务文件（案卷）" in html
    assert (
        f'<input type="hidden" name="within" value="{named(searchable.file)}">' in html
    )


def test_within_a_closed_record_is_refused_without_saying_why(client, searchable):
    _, html = get(client, f"q=海关&within={named(searchable.closed)}")
    assert "密件" not in html
    assert "没有此档号的开放档案" in html
    # The search still runs, over everything.
    assert len(hit_codes(html)) == 4


def test_fielded_search_and_reference_prefixes(client, searchable):
    _, by_code = get(client, "ref=J0001-001-0001")
    assert len(hit_codes(by_code)) == 5
    assert '<details class="advanced" open>' in by_code
    _, by_title = get(client, "title=往来")
    assert hit_codes(by_title) == [searchable.tianjin.reference_code]
    _, by_creator = get(client, "creator=税务司")
    assert hit_codes(by_creator) == [searchable.tianjin.reference_code]


def test_sorting_by_date_both_ways(client, searchable):
    dated = [record.reference_code for record in searchable.dated]
    _, oldest = get(client, f"within={named(searchable.file)}&sort=date_asc")
    assert [code for code in hit_codes(oldest) if code in dated] == dated
    assert '<strong aria-current="true">日期（从早到晚）</strong>' in oldest
    _, newest = get(client, f"within={named(searchable.file)}&sort=date_desc")
    assert [code for code in hit_codes(newest) if code in dated] == dated[::-1]


# Pages and caps -----------------------------------------------------------------------


def test_numbered_pages_with_the_current_one_marked(client, searchable):
    _, html = get(client, "ref=J0001&per_page=2&page=2")
    assert len(hit_codes(html)) == 2
    assert status(html) == "共 7 条结果"
    nav = html[html.index('<nav class="pagination"') :]
    nav = nav[: nav.index("</nav>")]
    current = re.findall(
        r'<a href="([^"]+)" data-search-link aria-current="page">', nav
    )
    assert len(current) == 1
    assert "page=2" in unescape(current[0])
    assert 'rel="prev"' in nav and 'rel="next"' in nav
    assert '<ol class="hits" start="3">' in html


def test_results_past_the_cap_are_announced(client, searchable, monkeypatch):
    monkeypatch.setattr(schema, "MAX_RESULTS", 4)
    _, html = get(client, "ref=J0001&per_page=2")
    assert "只能显示前 4 条结果" in html
    nav = html[html.index('<nav class="pagination"') :]
    nav = nav[: nav.index("</nav>")]
    assert "page=2" in nav and "page=3" not in nav


# Bad input ----------------------------------------------------------------------------


def test_malformed_values_are_named_and_the_search_still_runs(client, searchable):
    _, html = get(client, "q=海关&page=abc&from=19x0&per_page=10000")
    problems = html[html.index("data-search-problems") :]
    problems = problems[: problems.index("</div>")]
    for name in ("page", "from", "per_page"):
        assert f"“{name}”：" in problems
    assert status(html) == "共 4 条结果"


def test_unknown_parameters_are_ignored_by_the_page(client, searchable):
    _, html = get(client, "q=海关&utm_source=mail&foo=bar")
    assert "data-search-problems hidden" in html
    assert status(html) == "共 4 条结果"


def test_other_methods_are_refused(client, searchable):
    assert client.post("/zh-hans/search/", {"q": "海关"}).status_code == 405


class DownEngine:
    """An engine that cannot answer, as a server that is down."""

    name = "down"

    def search(self, request):
        raise EngineUnavailable("connection refused")

    def search_many(self, requests):
        raise EngineUnavailable("connection refused")


def test_an_unavailable_engine_gets_a_polite_page_with_the_form(
    client, catalogue_pages, monkeypatch
):
    monkeypatch.setattr(service, "get_engine", DownEngine)
    response, html = get(client, "q=海关")
    assert response.status_code == 200
    assert status(html) == "检索暂时无法使用。"
    assert '<form id="search-form"' in html
    assert 'name="q" value="海关"' in html
    assert 'href="/zh-hans/catalogue/"' in region(html, "search-results")


# Nothing found ------------------------------------------------------------------------


def test_nothing_found_offers_to_drop_the_filters_that_stand_in_the_way(
    client, searchable
):
    _, html = get(client, "q=海关&decade=1990&type=item")
    assert status(html) == "共 0 条结果"
    results = region(html, "search-results")
    assert "没有找到与“海关”相关的结果" in results
    offers = re.findall(
        r'<a href="([^"]+)" data-search-link><span class="visually-hidden">'
        r"移除筛选条件 </span>([^<]+)</a>",
        results[results.index("no-results") :],
    )
    # Without the type there is still nothing from the 1990s: only the decade
    # is offered, with what dropping it would find. Both stay in the bar.
    [(without_decade, label)] = offers
    assert label == "年代：1990年代"
    assert "decade" not in unescape(without_decade)
    assert "type=item" in unescape(without_decade)
    assert "（3 条）" in results
    assert results.count('class="chip"') == 2


def test_nothing_found_suggests_words_that_find_something(client, searchable):
    _, html = get(client, "q=租金+税务司")
    results = region(html, "search-results")
    suggestions = re.findall(r"data-search-link>([^<]+)</a>", results)
    assert "租金" in suggestions
    assert "税务司" in suggestions
    # And always a way on: the catalogue.
    assert 'href="/zh-hans/catalogue/"' in results


def test_nothing_found_suggests_the_other_script(client, catalogue_pages, monkeypatch):
    class TraditionalOnly:
        """An engine that, unlike ours, does not fold the two scripts."""

        name = "traditional-only"

        def search_many(self, requests):
            return [self.search(request) for request in requests]

        def search(self, request):
            return SearchResult(hits=[], total=2 if "檔" in request.query else 0)

    monkeypatch.setattr(service, "get_engine", TraditionalOnly)
    _, html = get(client, "q=档案")
    results = region(html, "search-results")
    assert re.search(
        r'<a href="/zh-hans/search/\?q=%E6%AA%94%E6%A1%88" data-search-link>'
        r'檔案</a> <span class="no-results__count">（2 条）</span>',
        results,
    ), results


# Languages and links elsewhere --------------------------------------------------------


def test_the_language_switch_keeps_the_search(client, searchable):
    _, html = get(client, "q=海关&type=item")
    switcher = html[html.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert 'href="/en/search/?q=%E6%B5%B7%E5%85%B3&amp;type=item"' in switcher
    assert '<link rel="alternate" hreflang="en"' in html


def test_record_pages_offer_to_search_within_them(client, searchable):
    fonds, item = searchable.fonds, searchable.tianjin
    code = fonds.repository.code
    html = client.get(f"/zh-hans/catalogue/{code}/{fonds.reference_code}/").content
    html = html.decode()
    box = html[html.index('<search class="inline-search"') :]
    box = box[: box.index("</search>")]
    assert 'aria-label="在本全宗内检索"' in box
    assert 'action="/zh-hans/search/" method="get"' in box
    assert f'<input type="hidden" name="within" value="{named(fonds)}">' in box
    series = client.get(
        f"/en/catalogue/{code}/{searchable.series.reference_code}/"
    ).content.decode()
    assert "Search within this series" in series
    item_page = client.get(f"/zh-hans/catalogue/{code}/{item.reference_code}/")
    assert 'class="inline-search"' not in item_page.content.decode()


def test_every_page_has_a_labelled_search_box_in_its_header(client, services_page):
    html = client.get("/zh-hans/services/").content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert '<search class="site-search" aria-label="检索档案">' in header
    assert (
        '<form class="site-search__form" action="/zh-hans/search/" method="get">'
        in header
    )
    assert (
        '<label class="site-search__label" for="site-search-q">检索档案</label>'
        in header
    )
    english = client.get("/en/services/").content.decode()
    assert 'action="/en/search/"' in english


def test_a_saved_search_returns_public_record_ids(searchable):
    ids, total = service.saved_search_record_ids(
        "海关", "type=item&decade=1940", "zh-hans", 0, 10
    )
    assert ids == [searchable.customs.pk]
    assert total == 1


def test_collections_are_named_in_the_visitors_language(rf, services_page):
    from django.http import QueryDict
    from django.utils import translation

    from search.forms import SearchForm
    from search.views import Results

    def labels(language):
        with translation.override(language):
            form = SearchForm(QueryDict(), language=language)
            form.is_valid()
            results = Results(rf.get("/"), form)
            return results._collection_labels([str(services_page.pk), "999999"])

    assert labels("zh-hans") == {str(services_page.pk): ("利用服务", "zh-Hans")}
    assert labels("en") == {str(services_page.pk): ("Using the archives", "en")}


def named(record):
    """A record as the `within` parameter names it."""
    return f"{record.repository.code}/{record.reference_code}"


# Nothing that contradicts itself (issue 13) ----------------------------------------


def test_a_selected_value_with_no_results_stays_checked_to_be_removed(
    client, searchable
):
    _, html = get(client, "q=海关&type=file")
    assert status(html) == "共 0 条结果"
    types = facet_values(html, "type")
    # The chosen value stays, checked; the empty ones the visitor did not
    # choose are not listed, even on the page that found nothing.
    assert types["file"] == (0, True, False)
    assert types["item"] == (3, False, False)  # positive control
    assert all(count or checked for count, checked, _ in types.values())
    for name in ("decade", "digital", "repository", "fonds"):
        assert all(
            count or checked for count, checked, _ in facet_values(html, name).values()
        )


@pytest.mark.parametrize("page", ["5", "999999"])
def test_a_page_past_the_end_redirects_to_the_last_page(client, searchable, page):
    response = client.get(
        "/zh-hans/search/", {"ref": "J0001", "per_page": "2", "page": page}
    )
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == "/zh-hans/search/"
    assert parse_qs(target.query) == {
        "ref": ["J0001"],
        "page": ["4"],
        "per_page": ["2"],
    }
    last = client.get(response["Location"]).content.decode()
    assert status(last) == "共 7 条结果"
    assert len(hit_codes(last)) == 1 and "没有找到" not in last
    assert "第 4 页" in last.split("</title>")[0]
    # The last page itself is served, not redirected.
    assert client.get(response["Location"]).status_code == 200


def test_a_page_past_the_end_of_nothing_redirects_to_the_first(client, searchable):
    response = client.get("/zh-hans/search/", {"q": "不存在的词语", "page": "3"})
    assert response.status_code == 302
    assert "page=" not in response["Location"]


@pytest.mark.parametrize("query", ["😀", "%", "^", "-", "“”…", "%%%^"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_query_of_symbols_only_finds_nothing_and_says_why(
    client, searchable, query, language
):
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert hit_codes(html) == []
    results = region(html, "search-results")
    assert "data-search-refused" in results
    if language == "en":
        assert "symbols alone cannot be searched" in status(html)
    # No count that contradicts the message, no "nothing found" either.
    assert "result" not in status(html) and "条结果" not in status(html)
    assert "没有找到" not in results and "Nothing found" not in results
    # Positive control: a word is searched.
    _, words = get(client, "q=海关", language=language)
    assert len(hit_codes(words)) == 4


@pytest.mark.parametrize("length", [201, 3000, 10000])
def test_a_query_too_long_gets_a_message_and_no_count(client, searchable, length):
    response = client.get("/en/search/", {"q": "海" * length})
    assert response.status_code == 200
    html = response.content.decode()
    assert hit_codes(html) == []
    assert f"this has {length}" in status(html)
    assert "result" not in status(html)
    assert "data-search-refused" in region(html, "search-results")
    assert "Nothing found" not in html


def test_a_chronicle_hit_shows_its_date(client, searchable, catalogue_pages):
    from exhibitions.models import DatePrecision
    from search import indexing
    from search.documents import site_document
    from tests.factories import ChronicleEventPageFactory, ChronicleIndexPageFactory

    chronicle = ChronicleIndexPageFactory(parent=catalogue_pages.site.home)
    event = ChronicleEventPageFactory(
        parent=chronicle,
        title="海关大楼落成",
        start_date=timezone.datetime(1936, 5, 1).date(),
        precision=DatePrecision.DAY,
    )
    document = site_document(event)
    assert document["date"] == "1936年5月1日"
    indexing.rebuild(schema.SITE, searchable.engine)
    _, html = get(client, "q=海关大楼落成")
    hit = html[html.index("hit--page") :]
    hit = hit[: hit.index("</li>")]
    assert "海关大楼落成" in hit and "1936年5月1日" in hit
