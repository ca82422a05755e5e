"""Thematic collections: hand-picked records behind the public gate, in order and
paged; the saved search through the search app's hook; the index's counts."""

import re

import pytest
from django.core.exceptions import ValidationError
from wagtail import hooks
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from exhibitions.models import (
    ThematicCollectionIndexPage,
    ThematicCollectionPage,
    ThematicCollectionRecord,
)
from home.models import HomePage
from tests.exhibitions_support import build_curated
from tests.factories import (
    ItemFactory,
    ThematicCollectionIndexPageFactory,
    ThematicCollectionPageFactory,
    site_with_home,
)


@pytest.fixture
def curated(bilingual_site):
    return build_curated(bilingual_site)


def collect(page, *records):
    page.collection_records = [
        ThematicCollectionRecord(record=record, sort_order=position)
        for position, record in enumerate(records)
    ]
    page.save_revision().publish()
    return page


@pytest.fixture
def customs(curated):
    page = ThematicCollectionPageFactory(
        parent=curated.collections, title="海关档案选粹", slug="customs"
    )
    return collect(
        page,
        curated.second_item,
        curated.closed_item,
        curated.open_item,
        curated.withdrawn_item,
    )


class TestCollectionPageTypes(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        _site, cls.home = site_with_home()
        cls.index = ThematicCollectionIndexPageFactory(parent=cls.home)
        cls.page = ThematicCollectionPageFactory(parent=cls.index)

    def test_collections_live_in_their_index_under_the_home_page(self):
        self.assertAllowedParentPageTypes(ThematicCollectionIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(
            ThematicCollectionIndexPage, {ThematicCollectionPage}
        )
        self.assertAllowedSubpageTypes(ThematicCollectionPage, set())
        self.assertFalse(ThematicCollectionIndexPage.can_create_at(self.home))

    def test_render_and_preview(self):
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(self.page)
        self.assertPageIsPreviewable(
            self.page,
            post_data=nested_form_data(
                {
                    "title": "预览专题",
                    "slug": self.page.slug,
                    "introduction": "",
                    "body": streamfield([]),
                    "collection_records": inline_formset([]),
                    "saved_query": "",
                    "saved_filters": "",
                }
            ),
        )


def test_lists_public_hand_picked_records_in_the_editors_order(client, customs):
    html = client.get(customs.url).content.decode()
    second = html.index("码头扩建工程经费预算")
    first = html.index("关于码头扩建工程的呈文")
    assert second < first  # the editor put it first
    assert "未开放的内部报告" not in html
    assert "已撤回的函件" not in html
    assert html.count('class="record-card"') == 2


def test_a_record_that_stops_being_public_leaves_the_collection(
    client, curated, customs
):
    record = curated.open_item
    record.withdrawn = True
    record.save()
    html = client.get(customs.url).content.decode()
    assert "关于码头扩建工程的呈文" not in html
    assert record.reference_code not in html
    fonds = record.ancestors()[0]
    fonds.access_status = "closed"
    fonds.save()
    html = client.get(customs.url).content.decode()
    assert "码头扩建工程经费预算" not in html  # the whole fonds closed


def test_the_records_are_paged(client, curated):
    page = ThematicCollectionPageFactory(parent=curated.collections, slug="many")
    items = [
        ItemFactory(parent=curated.open_item.parent, title=f"第{n:02d}件")
        for n in range(25)
    ]
    collect(page, *items)
    first = client.get(page.url).content.decode()
    second = client.get(page.url, {"page": "2"}).content.decode()
    assert first.count('class="record-card"') == 20
    assert second.count('class="record-card"') == 5
    assert "第24件" in second and "第24件" not in first
    assert 'href="?page=2#records"' in first
    assert client.get(page.url, {"page": "abc"}).status_code == 200


def test_collection_key_is_the_default_language_page_in_every_language(
    curated, customs
):
    english = curated.site.translate(customs, title="From the customs house")
    assert customs.collection_key == customs.pk
    assert english.collection_key == customs.pk


def test_links_to_search_prefiltered_by_the_collection(client, curated, customs):
    english = curated.site.translate(customs, title="From the customs house")
    html = client.get(english.url).content.decode()
    assert f'search/?collection={customs.pk}"' in html


def test_translations_keep_the_hand_picked_records(client, curated, customs):
    english = curated.site.translate(customs, title="From the customs house")
    html = client.get(english.url).content.decode()
    assert "Petition on the wharf extension" in html  # the English title
    assert "未开放的内部报告" not in html


# The saved search ----------


def with_saved_search(page, query="码头", filters="type=item"):
    page.saved_query = query
    page.saved_filters = filters
    page.save_revision().publish()
    return page


def test_the_saved_search_adds_what_the_engine_finds_through_the_gate(
    client, curated, customs
):
    with_saved_search(customs)
    calls = []

    def evaluate(query, filters, language_code, offset, limit):
        calls.append((query, filters, language_code, offset, limit))
        # The engine may lag behind the catalogue: a closed record slips in.
        return [curated.second_item.pk, curated.closed_item.pk], 41

    with hooks.register_temporarily("evaluate_saved_search", evaluate):
        html = client.get(customs.url, {"found": "2"}).content.decode()
    assert calls == [("码头", "type=item", "zh-hans", 20, 20)]
    found = html.split('id="found"', 1)[1]
    assert "码头扩建工程经费预算" in found
    assert "未开放的内部报告" not in found
    assert "41" in found
    assert 'href="?found=3#found"' in found and 'href="?found=1#found"' in found


@pytest.mark.parametrize("answer", [None, "raises"])
def test_without_an_engine_the_page_says_so_politely(client, customs, answer):
    with_saved_search(customs)

    def evaluate(*arguments):
        if answer == "raises":
            raise ConnectionError("engine down")
        return answer

    with hooks.register_temporarily("evaluate_saved_search", evaluate):
        response = client.get(customs.url)
    assert response.status_code == 200
    html = response.content.decode()
    found = html.split('id="found"', 1)[1].split("</section>", 1)[0]
    assert '<p class="notice">' in found
    assert "search/?q=%E7%A0%81%E5%A4%B4&amp;type=item" in found
    assert "码头扩建工程经费预算" in html  # the hand-picked list still shows


def test_no_saved_search_no_section(client, customs):
    html = client.get(customs.url).content.decode()
    assert 'id="found"' not in html


@pytest.mark.parametrize(
    "filters",
    ["https://evil.example/?a=1", "q=码头", "a b", "=x", "page=2"],
)
def test_saved_filters_must_be_a_query_string_of_filters(customs, filters):
    customs.saved_filters = filters
    with pytest.raises(ValidationError):
        customs.full_clean()


def test_saved_filters_lose_a_leading_question_mark(customs):
    customs.saved_filters = "?type=item&decade=1950"
    customs.full_clean()
    assert customs.saved_filters == "type=item&decade=1950"


# The index ----------


def test_the_index_counts_public_records_only(client, curated, customs):
    html = client.get(curated.collections.url).content.decode()
    assert "海关档案选粹" in html
    card = html.split("海关档案选粹", 1)[1].split("</li>", 1)[0]
    count = card.split('class="card__meta">', 1)[1].split("<", 1)[0]
    assert [int(n) for n in re.findall(r"\d+", count)] == [2]


def test_the_english_index_lists_untranslated_collections(client, curated, customs):
    html = client.get("/en/collections/").content.decode()
    assert 'href="/en/collections/customs/"' in html
    response = client.get("/en/collections/customs/")
    assert response.status_code == 200
    assert "has not been translated into English" in response.content.decode()


# Saved searches follow the search's rules (issue 13) ----------


@pytest.mark.parametrize(
    ("filters", "named"),
    [
        ("level=item", "level"),
        ("type=item&level=item", "level"),
        ("repository=nope", "repository"),
        ("decade=19x0", "decade"),
    ],
)
def test_a_saved_search_the_search_cannot_use_is_refused_on_save(
    customs, filters, named
):
    customs.saved_filters = filters
    with pytest.raises(ValidationError) as refused:
        customs.full_clean()
    messages = refused.value.message_dict["saved_filters"]
    assert any(named in message for message in messages)
    # Positive control: a filter the search knows is saved.
    customs.saved_filters = "type=item"
    customs.full_clean()


def test_a_saved_search_with_an_unknown_parameter_finds_nothing(customs):
    from search.service import saved_search_record_ids

    calls = []

    def run(request, engine=None):
        calls.append(request)
        raise AssertionError("an unknown parameter must not reach the engine")

    from search import service

    original = service.run
    service.run = run
    try:
        assert saved_search_record_ids("码头", "level=item", "zh-hans", 0, 20) == (
            [],
            0,
        )
        assert saved_search_record_ids("码头", "repository=nope", "zh-hans", 0, 20) == (
            [],
            0,
        )
    finally:
        service.run = original
    assert calls == []
