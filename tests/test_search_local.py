"""The local engine finds what a researcher means, in Chinese and English."""

import pytest

from search import indexing, schema, service, text
from search.engines.base import HIGHLIGHT_POST, HIGHLIGHT_PRE, SearchRequest
from tests.factories import ItemFactory


def found(catalogue, **request):
    result = catalogue.engine.search(SearchRequest(per_page=50, **request))
    return [hit.document.get("reference_code") for hit in result.hits], result


def test_a_two_character_word_is_found_inside_a_longer_word(indexed_catalogue):
    codes, _ = found(indexed_catalogue, query="档案")
    # 天津市档案馆: jieba keeps 档案馆 whole; character pairs still find 档案.
    assert indexed_catalogue.tianjin.reference_code in codes


def test_traditional_and_simplified_find_each_other(indexed_catalogue):
    simplified, _ = found(indexed_catalogue, query="滨江海关档案目录")
    traditional, _ = found(indexed_catalogue, query="濱江海關")
    assert indexed_catalogue.traditional.reference_code in simplified
    assert indexed_catalogue.traditional.reference_code in traditional
    assert indexed_catalogue.tianjin.reference_code in traditional


def test_words_of_a_query_may_be_apart(indexed_catalogue):
    codes, _ = found(indexed_catalogue, query="天津往来")
    assert codes == [indexed_catalogue.tianjin.reference_code]


def test_a_quoted_phrase_must_be_exact(indexed_catalogue):
    apart, _ = found(indexed_catalogue, query='"天津往来"')
    together, _ = found(indexed_catalogue, query='"海关往来函件"')
    assert apart == []
    assert together == [indexed_catalogue.tianjin.reference_code]


def test_the_word_being_typed_matches_as_a_prefix(indexed_catalogue):
    typing, _ = found(indexed_catalogue, query="Custo")
    finished, _ = found(indexed_catalogue, query="Custo ")
    assert indexed_catalogue.english.reference_code in typing
    assert finished == []


def test_english_words_are_stemmed(indexed_catalogue):
    codes, _ = found(indexed_catalogue, query="return")
    assert codes == [indexed_catalogue.english.reference_code]


def test_full_text_hit_names_its_page_with_a_highlighted_snippet(indexed_catalogue):
    _, result = found(indexed_catalogue, query="仓库租金")
    [hit] = result.hits
    assert hit.document["reference_code"] == indexed_catalogue.customs.reference_code
    assert hit.page == 2
    assert f"码头{HIGHLIGHT_PRE}仓库租金{HIGHLIGHT_POST}收入" in hit.snippet
    # One hit per record, whatever number of its pages match.
    _, all_pages = found(indexed_catalogue, query="页")
    ids = [hit.document["record_id"] for hit in all_pages.hits]
    assert ids.count(indexed_catalogue.customs.pk) == 1


def test_titles_come_back_highlighted(indexed_catalogue):
    _, result = found(indexed_catalogue, query="往来")
    assert (
        result.hits[0].title
        == f"天津市档案馆藏滨江海关{HIGHLIGHT_PRE}往来{HIGHLIGHT_POST}函件"
    )


def test_records_that_are_not_public_are_never_found(indexed_catalogue):
    codes, result = found(indexed_catalogue, query="密件")
    assert codes == []
    everything, _ = found(indexed_catalogue, reference="J0001")
    assert indexed_catalogue.closed.reference_code not in everything
    assert indexed_catalogue.closed_child.reference_code not in everything


def test_reference_codes_match_exactly_or_by_prefix_at_a_dash(indexed_catalogue):
    prefix, _ = found(indexed_catalogue, reference="J0001-001-0001")
    exact, _ = found(indexed_catalogue, reference="J0001-001-0001-0002")
    partial, _ = found(indexed_catalogue, reference="J0001-00")
    assert len(prefix) == 5  # the file and its four items
    assert exact == ["J0001-001-0001-0002"]
    assert partial == []


def test_search_within_a_record_keeps_to_its_subtree(indexed_catalogue):
    codes, _ = found(indexed_catalogue, query="海关", within=indexed_catalogue.file.pk)
    assert indexed_catalogue.fonds.reference_code not in codes
    assert indexed_catalogue.tianjin.reference_code in codes


def test_dates_sort_both_ways_and_filter_by_year(indexed_catalogue):
    dated = [r.reference_code for r in indexed_catalogue.dated]
    ascending, _ = found(
        indexed_catalogue, reference="J0001-001-0001-", sort="date_asc"
    )
    codes, _ = found(
        indexed_catalogue, within=indexed_catalogue.file.pk, sort=schema.SORT_DATE_ASC
    )
    assert [c for c in codes if c in dated] == dated
    newest, _ = found(
        indexed_catalogue, within=indexed_catalogue.file.pk, sort=schema.SORT_DATE_DESC
    )
    assert [c for c in newest if c in dated] == dated[::-1]
    in_range, _ = found(indexed_catalogue, query="海关", year_from=1920, year_to=1935)
    assert set(in_range) == {
        indexed_catalogue.tianjin.reference_code,
        indexed_catalogue.traditional.reference_code,
    }
    assert ascending == []  # a trailing dash is not a reference code prefix


def test_facets_count_records_and_filters_combine(indexed_catalogue):
    request = SearchRequest(query="海关", facets=schema.FACETS, per_page=10)
    result = indexed_catalogue.engine.search(request)
    types = {f.value: f.count for f in result.facets["type"]}
    assert types == {"fonds": 1, "item": 3}
    decades = {f.value: f.count for f in result.facets["decade"]}
    assert decades == {"1920": 1, "1930": 1, "1940": 1}
    narrowed = indexed_catalogue.engine.search(
        SearchRequest(query="海关", filters={"type": ("item",), "decade": ("1940",)})
    )
    assert [h.document["reference_code"] for h in narrowed.hits] == [
        indexed_catalogue.customs.reference_code
    ]


def test_facet_counts_are_disjunctive_within_a_facet(indexed_catalogue):
    outcome = service.run(
        SearchRequest(query="海关", filters={"type": ("item",)}, facets=("type",)),
        engine=indexed_catalogue.engine,
    )
    assert outcome.total == 3
    # Choosing "fonds" as well would add one: its count stays visible.
    assert {f.value: f.count for f in outcome.facets["type"]} == {"item": 3, "fonds": 1}


@pytest.mark.parametrize(
    "query", ["AND", "OR", "NOT", "NEAR(", "title:", "海关 AND", "NEAR(海关 租金)"]
)
def test_a_query_the_engine_cannot_parse_finds_nothing_without_error(
    indexed_catalogue, query
):
    # FTS5's operators are words here (none of them is in the catalogue), and
    # every word must match: a query that would break the syntax finds nothing.
    engine = indexed_catalogue.engine
    result = engine.search(SearchRequest(query=query))
    assert (result.total, result.hits) == (0, [])
    # The same engine finds what the query's real words find.
    assert engine.search(SearchRequest(query="海关")).total == 4


@pytest.mark.parametrize("query", ['"', "*", "(((", '""""', "^", "-", ":"])
def test_a_query_of_no_words_is_the_empty_search(indexed_catalogue, query):
    """Punctuation alone asks for nothing in particular: everything, in
    catalogue order, as an empty search box does (and as Meilisearch does)."""
    engine = indexed_catalogue.engine
    everything = engine.search(SearchRequest(query="", per_page=50))
    result = engine.search(SearchRequest(query=query, per_page=50))
    # The 7 public records, and whatever site pages the database holds
    # (Wagtail's first page exists unless an earlier test flushed it).
    assert result.total == everything.total
    public_records = [h for h in result.hits if h.index == schema.CATALOGUE]
    assert len(public_records) == 7
    assert [h.document.get("id") for h in result.hits] == [
        h.document.get("id") for h in everything.hits
    ]


def test_an_unbalanced_quote_is_read_as_the_word_it_holds(indexed_catalogue):
    engine = indexed_catalogue.engine
    codes = {
        h.document["reference_code"]
        for h in engine.search(SearchRequest(query="海关")).hits
    }
    assert len(codes) == 4
    for query in ('"海关', '海关"'):
        found = engine.search(SearchRequest(query=query)).hits
        assert {h.document["reference_code"] for h in found} == codes


def test_paging_returns_the_next_hits(indexed_catalogue):
    first = indexed_catalogue.engine.search(
        SearchRequest(reference="J0001", per_page=2, page=1)
    )
    second = indexed_catalogue.engine.search(
        SearchRequest(reference="J0001", per_page=2, page=2)
    )
    assert first.total == second.total == 7
    ids = [h.document["record_id"] for h in first.hits + second.hits]
    assert len(set(ids)) == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("天津市档案馆", ["天津市", "档案馆"]),
        ("濱江 customs", ["滨江", "customs"]),
        ('"滨江海关" 报告', ["滨江海关", "报告"]),
    ],
)
def test_queries_are_folded_and_segmented(query, expected):
    assert text.words_of(query) == expected


def test_index_text_writes_han_as_character_pairs():
    assert (
        text.index_text("天津市档案馆 Archives")
        == " 天津 津市 市档 档案 案馆 馆  archives"
    )


def test_a_quoted_phrase_may_mix_digits_and_han_characters(indexed_catalogue):
    # 1931年关务文件: the index writes 年关 关务 …, never a lone 年.
    codes, _ = found(indexed_catalogue, query='"1931年"')
    assert indexed_catalogue.file.reference_code in codes
    whole, _ = found(indexed_catalogue, query='"1931年关务"')
    assert whole == [indexed_catalogue.file.reference_code]


def test_records_described_by_the_words_rank_before_full_text_matches(
    indexed_catalogue,
):
    # 租金 is on page 2 of the customs report's full text only; a record added
    # later has it in its title. In catalogue (entry) order the report would
    # come first: the title match must rank above it.
    rent = ItemFactory(
        parent=indexed_catalogue.file,
        title="码头租金收据",
        reference_code="J0001-001-0001-0005",
    )
    indexing.sync_records([rent.pk], indexed_catalogue.engine)
    assert rent.pk > indexed_catalogue.customs.pk
    _, result = found(indexed_catalogue, query="租金")
    assert [(h.document["reference_code"], h.page) for h in result.hits] == [
        (rent.reference_code, None),
        (indexed_catalogue.customs.reference_code, 2),
    ]


# Snippets cut at word boundaries (issue 13) ----------


ENGLISH = (
    "The commissioner reported that the harbour authorities collected "
    "considerable revenue from the wharf dues and the tonnage tax during the "
    "second half of the year, although the warehouses remained partly empty "
    "because the river traffic declined after the flood of the previous summer."
)


@pytest.mark.parametrize("word", ["tonnage", "commissioner", "summer", "flood"])
def test_english_snippets_start_and_end_at_word_boundaries(word):
    from search.engines.local import snippet

    cut = snippet(ENGLISH, [word])
    plain = cut.replace(HIGHLIGHT_PRE, "").replace(HIGHLIGHT_POST, "")
    assert f"{HIGHLIGHT_PRE}{word}{HIGHLIGHT_POST}" in cut
    inner = plain.removeprefix("…").removesuffix("…")
    assert inner == inner.strip()
    words = ENGLISH.split()
    pieces = inner.split()
    # Every word shown is a whole word of the text, the first and last too.
    assert all(piece in words for piece in pieces), pieces
    assert plain.startswith("…") == (not ENGLISH.startswith(inner))
    assert plain.endswith("…") == (not ENGLISH.endswith(inner))


def test_english_text_without_a_match_is_cut_at_a_word_too():
    from search.engines.local import snippet

    cut = snippet(ENGLISH, ["zzz"])
    assert cut.endswith("…")
    assert cut.removesuffix("…").split()[-1] in ENGLISH.split()


def test_chinese_snippets_may_still_be_cut_anywhere():
    from search.engines.local import snippet

    body = (
        "第一页："
        + "本关本年度收支概况。" * 20
        + "码头仓库租金收入一项。"
        + "附表。" * 30
    )
    cut = snippet(body, ["码头"])
    assert f"{HIGHLIGHT_PRE}码头{HIGHLIGHT_POST}" in cut
    assert cut.startswith("…") and cut.endswith("…")
    assert len(cut.replace(HIGHLIGHT_PRE, "").replace(HIGHLIGHT_POST, "")) == 82
