"""Search must not leak what the public may not see: not through the text of
pages whose blocks are hidden, not through counts, facets, suggestions or
paging while the index is stale, and not through database ids.

Every test of absence also asserts the status and a positive control (what
the public may see IS found), so that an error or an empty index cannot pass.
"""

import json
import re

import pytest
from django.core.management import call_command

from catalogue.models import Record
from search import indexing, schema, service, withheld
from search.documents import fonds_key, site_document
from search.engines import meili
from search.engines.base import EngineUnavailable, SearchRequest
from search.engines.meili import MeilisearchEngine, filter_expression
from search.models import PendingUpdate
from tests.contract import spec
from tests.contract.fake import FakeMeilisearch, federated_answer, hit, search_result
from tests.exhibitions_support import build_curated
from tests.factories import (
    ExhibitionChapterPageFactory,
    ExhibitionPageFactory,
    ThematicCollectionPageFactory,
)
from tests.test_catalogue_pages import catalogue  # noqa: F401

Kind = PendingUpdate.Kind


def api(client, params, status=200):
    response = client.get("/api/search", params)
    assert response.status_code == status, response.content.decode()[:500]
    return response.json()


def codes(answer):
    return [hit.get("reference_code") for hit in answer["hits"]]


def urls(answer):
    return [hit["url"] for hit in answer["hits"]]


def facet(answer, name):
    for entry in answer["facets"]:
        if entry["name"] == name:
            return {value["value"]: value["count"] for value in entry["values"]}
    return {}


def indexed_ids(engine, index=schema.CATALOGUE):
    return set(engine.document_ids(index))


def refuse(patch, engine, *names, index=None):
    """Make these writes of the engine fail (on one index only, if given)."""

    for name in names:
        real = getattr(engine, name)

        def down(*args, _real=real, **kwargs):
            if index is None or (args and args[0] == index):
                raise EngineUnavailable("connection refused")
            return _real(*args, **kwargs)

        patch.setattr(engine, name, down)


ALL_WRITES = ("add_documents", "delete_records", "delete_documents")


# 1. Pages index only what they show --------------------------------------------------


@pytest.fixture
def curated(bilingual_site):
    return build_curated(bilingual_site)


def chapter_with(curated, *blocks, slug="blocks", exhibition=None):
    exhibition = exhibition or ExhibitionPageFactory(
        parent=curated.exhibitions, slug="gate"
    )
    return ExhibitionChapterPageFactory(
        parent=exhibition,
        slug=slug,
        body=[{"type": kind, "value": value} for kind, value in blocks],
    )


def note(record, text):
    return ("record", {"record": record.pk, "note": text})


def group(heading, introduction, *records):
    return (
        "record_group",
        {
            "heading": heading,
            "introduction": introduction,
            "records": [record.pk for record in records],
        },
    )


def rebuild_site(engine):
    indexing.rebuild(schema.SITE, engine)


def test_a_chapter_is_not_found_by_the_text_of_blocks_it_hides(
    client,
    curated,
    search_engine,
):
    chapter = chapter_with(
        curated,
        note(curated.open_item, "zzpubnote"),
        note(curated.closed_item, "zzhidnote"),
        group("zzhidgroup", "zzhidintro", curated.withdrawn_item),
        group("zzpubgroup", "zzpubintro", curated.withdrawn_item, curated.second_item),
    )
    rebuild_site(search_engine)
    page = client.get(chapter.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "zzpubnote" in html and "zzpubgroup" in html and "zzpubintro" in html
    assert "zzhid" not in html
    document = site_document(chapter)
    assert "zzpubnote" in document["text"] and "zzhid" not in json.dumps(document)

    for word in ("zzpubnote", "zzpubgroup", "zzpubintro"):
        found = api(client, {"q": word, "scope": "site"})
        assert found["total"] == 1 and urls(found) == [
            "http://testserver" + chapter.url
        ]
    for word in ("zzhidnote", "zzhidgroup", "zzhidintro"):
        hidden = api(client, {"q": word})
        assert (hidden["total"], hidden["hits"], hidden["suggestions"]) == (0, [], [])


def test_a_collection_is_not_found_by_the_text_of_blocks_it_hides(
    client,
    curated,
    search_engine,
):
    collection = ThematicCollectionPageFactory(
        parent=curated.collections,
        slug="hidden-blocks",
        body=[
            {"type": k, "value": v}
            for k, v in (
                note(curated.second_item, "zzpubcollnote"),
                note(curated.closed_item, "zzhidcollnote"),
            )
        ],
    )
    rebuild_site(search_engine)
    page = client.get(collection.url)
    assert page.status_code == 200
    assert "zzpubcollnote" in page.content.decode()
    assert "zzhidcollnote" not in page.content.decode()
    assert urls(api(client, {"q": "zzpubcollnote"})) == [
        "http://testserver" + collection.url
    ]
    assert api(client, {"q": "zzhidcollnote"})["total"] == 0


def test_a_record_leaving_the_public_takes_its_note_out_of_the_pages_citing_it(
    client,
    curated,
    search_engine,
    django_capture_on_commit_callbacks,
):
    record = curated.open_item
    chapter = chapter_with(
        curated,
        note(record, "zzleavingnote"),
        note(curated.second_item, "zzstayingnote"),
        group("zzgroupheading", "", record),
    )
    rebuild_site(search_engine)
    assert api(client, {"q": "zzleavingnote"})["total"] == 1
    assert api(client, {"q": "zzgroupheading"})["total"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        record.access_status = "closed"
        record.save()
    assert "zzleavingnote" not in client.get(chapter.url).content.decode()
    assert api(client, {"q": "zzleavingnote"})["total"] == 0
    assert api(client, {"q": "zzgroupheading"})["total"] == 0
    # The page itself is still found by what it still shows.
    assert urls(api(client, {"q": "zzstayingnote"})) == [
        "http://testserver" + chapter.url
    ]

    with django_capture_on_commit_callbacks(execute=True):
        record.access_status = "open"
        record.save()
    assert api(client, {"q": "zzleavingnote"})["total"] == 1
    assert api(client, {"q": "zzgroupheading"})["total"] == 1


def test_a_page_left_stale_by_a_failed_update_is_withheld_until_replayed(
    client,
    curated,
    search_engine,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    record = curated.open_item
    exhibition = ExhibitionPageFactory(parent=curated.exhibitions, slug="stale")
    chapter = chapter_with(
        curated,
        note(record, "zzfadingnote"),
        note(curated.second_item, "zzsamepage"),
        exhibition=exhibition,
    )
    other = chapter_with(
        curated,
        note(curated.second_item, "zzotherpage"),
        slug="other",
        exhibition=exhibition,
    )
    rebuild_site(search_engine)
    # The catalogue index takes the change; the site index refuses it.
    with monkeypatch.context() as patch:
        refuse(patch, search_engine, *ALL_WRITES, index=schema.SITE)
        with django_capture_on_commit_callbacks(execute=True):
            record.access_status = "closed"
            record.save()
    # The stale document still holds the note, but the page is withheld.
    assert f"page{chapter.pk}" in indexed_ids(search_engine, schema.SITE)
    assert chapter.pk in withheld.current().pages
    assert api(client, {"q": "zzfadingnote"})["total"] == 0
    assert api(client, {"q": "zzsamepage"})["total"] == 0
    assert urls(api(client, {"q": "zzotherpage"})) == ["http://testserver" + other.url]

    call_command("search_index", "replay")
    assert not PendingUpdate.objects.exists()
    assert api(client, {"q": "zzfadingnote"})["total"] == 0
    assert urls(api(client, {"q": "zzsamepage"})) == ["http://testserver" + chapter.url]


# 2. A stale index reveals nothing by counting ----------------------------------------


@pytest.fixture
def searchable(catalogue, indexed_catalogue):  # noqa: F811
    return indexed_catalogue


def close_while_the_engine_is_down(searchable, monkeypatch, capture):
    with monkeypatch.context() as patch:
        refuse(patch, searchable.engine, *ALL_WRITES)
        with capture(execute=True):
            searchable.customs.access_status = "closed"
            searchable.customs.save()
    # The precondition: the engine never got the delete.
    assert f"r{searchable.customs.pk}" in indexed_ids(searchable.engine)


def test_counts_facets_paging_and_suggestions_ignore_a_record_whose_delete_failed(
    client, searchable, monkeypatch, django_capture_on_commit_callbacks
):
    before = api(client, {"q": "海关"})
    assert before["total"] == 4 and facet(before, "type")["item"] == 3
    assert facet(before, "decade")["1940"] == 1
    close_while_the_engine_is_down(
        searchable, monkeypatch, django_capture_on_commit_callbacks
    )
    customs = searchable.customs.reference_code

    after = api(client, {"q": "海关"})
    assert customs not in codes(after)
    assert searchable.tianjin.reference_code in codes(after)
    assert after["total"] == 3 == len(after["hits"])
    assert facet(after, "type")["item"] == 2
    assert "1940" not in facet(after, "decade")
    assert facet(after, "decade")["1930"] == 1

    rent = api(client, {"q": "仓库租金"})
    assert (rent["total"], rent["hits"]) == (0, [])
    assert all(count == 0 for count in facet(rent, "type").values())
    # Page 2 of nothing is past the end: refused, and the last page it names is
    # counted without the hidden record (one page, of no hits).
    paged = api(client, {"q": "仓库租金", "page": 2, "per_page": 1}, status=400)
    assert paged["last_page"] == 1 and "hits" not in paged
    control = api(client, {"q": "往来", "page": 1, "per_page": 1})
    assert control["total"] == 1 and len(control["hits"]) == 1

    # Nothing is found for both words; only the open record's word is offered.
    nothing = api(client, {"q": "租金 往来"})
    assert nothing["total"] == 0
    offered = {s["label"]: s["count"] for s in nothing["suggestions"]}
    assert offered == {"往来": 1}

    # Once the engine takes the update, nothing is withheld any more.
    call_command("search_index", "replay")
    assert not PendingUpdate.objects.exists()
    assert f"r{searchable.customs.pk}" not in indexed_ids(searchable.engine)
    assert api(client, {"q": "海关"})["total"] == 3


def test_an_update_the_queue_could_not_take_withholds_what_it_was_to_remove(
    client, searchable, monkeypatch, django_capture_on_commit_callbacks
):
    from search import receivers

    class QueueDown:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("task queue unreachable")

    monkeypatch.setattr(receivers, "update_index", QueueDown())
    with django_capture_on_commit_callbacks(execute=True):
        searchable.file.access_status = "closed"
        searchable.file.save()
    hidden = {
        searchable.file.pk,
        searchable.tianjin.pk,
        searchable.customs.pk,
        searchable.traditional.pk,
        searchable.english.pk,
    }
    assert hidden <= {
        int(i[1:]) for i in indexed_ids(searchable.engine) if "-" not in i
    }
    assert withheld.current().records == hidden
    answer = api(client, {"q": "海关"})
    assert codes(answer) == [searchable.fonds.reference_code]  # the positive control
    assert answer["total"] == 1 and facet(answer, "type") == {"fonds": 1}
    call_command("search_index", "replay")
    assert not PendingUpdate.objects.exists()
    assert not hidden & {
        int(i[1:].split("-")[0]) for i in indexed_ids(searchable.engine)
    }


def test_a_record_closed_behind_the_index_is_recounted_and_repaired(client, searchable):
    customs = searchable.customs
    Record.objects.filter(pk=customs.pk).update(gate_open=False)
    answer = api(client, {"q": "海关"})
    assert customs.reference_code not in codes(answer)
    assert answer["total"] == 3 == len(answer["hits"])
    assert facet(answer, "type")["item"] == 2
    assert "1940" not in facet(answer, "decade")
    # Seen once, repaired: the index no longer holds it, nothing is pending.
    assert f"r{customs.pk}" not in indexed_ids(searchable.engine)
    assert f"r{searchable.tianjin.pk}" in indexed_ids(searchable.engine)
    assert not PendingUpdate.objects.exists()


def test_search_is_unavailable_rather_than_wrong_when_too_much_is_withheld(
    client, searchable, monkeypatch
):
    assert api(client, {"q": "海关"})["total"] == 4
    monkeypatch.setattr(withheld, "MAX_WITHHELD", 1)
    withheld.withhold(Kind.REMOVE_RECORDS, [10**9, 10**9 + 1], "test")
    refused = api(client, {"q": "海关"}, status=503)
    assert refused["error"] == "unavailable"
    page = client.get("/zh-hans/search/", {"q": "海关"})
    assert page.status_code == 200
    assert "检索暂时无法使用。" in page.content.decode()
    assert searchable.tianjin.reference_code not in page.content.decode()


def test_both_engines_leave_withheld_ids_out_in_their_own_filter(searchable):
    request = SearchRequest(
        query="海关",
        exclude_records=frozenset({searchable.customs.pk, 7}),
        exclude_pages=frozenset({12}),
    )
    local = searchable.engine.search(request)
    assert searchable.customs.reference_code not in [
        h.document.get("reference_code") for h in local.hits
    ]
    assert local.total == 3
    catalogue_filter = filter_expression(request, schema.CATALOGUE)
    low, high = sorted([searchable.customs.pk, 7])
    assert catalogue_filter == f"record_id NOT IN [{low}, {high}]"
    assert filter_expression(request, schema.SITE) == (
        'locale = "zh-hans" AND id NOT IN ["page12"]'
    )


@pytest.mark.django_db
def test_meilisearch_requests_carry_the_exclusions_and_pass_the_contract(
    monkeypatch,
):
    """The fake validates every request against Meilisearch's OpenAPI document."""
    monkeypatch.setattr(meili, "_sleep", lambda seconds: None)
    engine = MeilisearchEngine(spec.SERVER, "contract-key", "portal")
    withheld.withhold(Kind.REMOVE_RECORDS, [41, 42], "test")
    withheld.withhold(Kind.PAGES, [9], "test")
    with FakeMeilisearch() as fake:
        fake.on_search(federated_answer([], facets={}))
        fake.on_search(
            lambda body: {
                "results": [
                    search_result("portal_catalogue", 0, {"type": {}}),
                    search_result("portal_site", 0, {"type": {}}),
                ]
            }
        )
        outcome = service.run(
            SearchRequest(query="海关", filters={"type": ("file",)}, facets=("type",)),
            engine=engine,
        )
        assert not outcome.unavailable
        main, counts = fake.calls_to("POST /multi-search")
    filters = [q["filter"] for q in main.body["queries"]]
    filters += [q["filter"] for q in counts.body["queries"]]
    assert filters == [
        'type IN ["file"] AND record_id NOT IN [41, 42]',
        'type IN ["file"] AND locale = "zh-hans" AND id NOT IN ["page9"]',
        "record_id NOT IN [41, 42]",
        'locale = "zh-hans" AND id NOT IN ["page9"]',
    ]


@pytest.mark.django_db
def test_meilisearch_hits_the_gate_refuses_are_searched_again_without_them(
    monkeypatch,
    search_engine,  # the engine the queued repair reaches (get_engine())
):
    monkeypatch.setattr(meili, "_sleep", lambda seconds: None)
    engine = MeilisearchEngine(spec.SERVER, "contract-key", "portal")
    gone = 10**6  # a record the database does not hold
    document = {
        "id": f"r{gone}",
        "record_id": gone,
        "type": "file",
        "title": "档案",
        "reference_code": "J0009",
        "repository": "120101",
    }
    with FakeMeilisearch() as fake:
        fake.on_search(federated_answer([hit("portal_catalogue", document)]))
        fake.on_search(federated_answer([]))
        outcome = service.run(SearchRequest(query="档案"), engine=engine)
        first, second = fake.calls_to("POST /multi-search")
    assert not outcome.unavailable
    assert (outcome.total, outcome.result.hits) == (0, [])
    assert "filter" not in first.body["queries"][0]
    assert second.body["queries"][0]["filter"] == f"record_id NOT IN [{gone}]"
    # The repair was queued (immediate here) and went through.
    assert not PendingUpdate.objects.exists()


# 3. No database ids ---------------------------------------------------------------


def test_the_api_names_records_and_fonds_by_public_identifiers_only(client, searchable):
    answer = api(client, {"q": "海关", "per_page": 50})
    assert answer["total"] == 4  # the positive control
    for entry in answer["hits"]:
        assert "id" not in entry and "record_id" not in entry
    fonds = searchable.fonds
    public = fonds_key(fonds.repository.code, fonds.reference_code)
    assert facet(answer, "fonds") == {public: 4}
    text = json.dumps(answer, ensure_ascii=False)
    for record in Record.objects.all():
        assert not re.search(rf'"r{record.pk}(-p\d+)?"', text)
        assert f'"{record.pk}"' not in text
    # The public value filters as the facet says.
    narrowed = api(client, {"q": "海关", "fonds": public})
    assert narrowed["total"] == 4
    # A fonds that is missing and one that is closed are refused alike.
    missing = api(client, {"q": "海关", "fonds": "120101/J9999"}, status=400)
    assert missing["errors"].keys() == {"fonds"}
    refused = api(client, {"q": "海关", "fonds": str(fonds.pk)}, status=400)
    assert refused["error"] == "invalid_parameters"
