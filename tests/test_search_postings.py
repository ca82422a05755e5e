"""The local engine's posting bitmaps give the same answers as FTS5 itself
(words of one character pair, and longer words read as their pairs),
after the build and after records change, are deleted or lose a page.

Postings are made for tokens in at least POSTINGS_MIN entries; here every
token gets one, so every one-token word is answered from them."""

import pytest

from search import indexing, schema
from search.engines import local
from search.engines.base import SearchRequest

WORDS = [
    "海关",
    "关",
    "档案",
    "码头",
    "关税",
    "仓库",
    "滨江",
    "目录",
    "海关关税",
    "滨江海关",
]


@pytest.fixture
def with_postings(indexed_catalogue, monkeypatch):
    monkeypatch.setattr(local, "POSTINGS_MIN", 1)
    indexing.rebuild(schema.CATALOGUE, engine=indexed_catalogue.engine)
    return indexed_catalogue


def answers(engine, monkeypatch, words=WORDS):
    """{word: (total, codes)} with postings, and the same read through FTS5."""

    def ask():
        found = {}
        for word in words:
            result = engine.search(
                SearchRequest(query=word + " ", per_page=50, scope="catalogue")
            )
            codes = sorted(hit.document["reference_code"] for hit in result.hits)
            found[word] = (result.total, codes)
        return found

    with_postings = ask()
    with monkeypatch.context() as patch:
        patch.setattr(local._State, "posting", lambda *args: None)
        through_fts = ask()
    return with_postings, through_fts


def postings_used(engine):
    connection = engine._connection(engine._live_file(schema.CATALOGUE))
    return connection.execute("SELECT count(*) FROM postings").fetchone()[0]


def test_postings_answer_as_fts5_does(with_postings, monkeypatch):
    assert postings_used(with_postings.engine) > 0
    with_postings_answers, fts_answers = answers(with_postings.engine, monkeypatch)
    assert with_postings_answers == fts_answers
    assert with_postings_answers["海关"][0] > 0


def test_a_changed_record_is_found_by_its_new_words_only(with_postings, monkeypatch):
    record = with_postings.customs
    record.title = "码头仓库租金清单"
    record.save()
    indexing.sync_records([record.pk], engine=with_postings.engine)

    got, expected = answers(with_postings.engine, monkeypatch)

    assert got == expected
    assert record.reference_code in got["仓库"][1]
    assert record.reference_code not in got["关税"][1]


def test_a_deleted_record_is_gone_from_postings(with_postings, monkeypatch):
    code = with_postings.tianjin.reference_code
    with_postings.engine.delete_records([with_postings.tianjin.pk])

    got, expected = answers(with_postings.engine, monkeypatch)

    assert got == expected
    assert code not in got["档案"][1]


def test_a_page_deleted_alone_takes_its_words_with_it(with_postings, monkeypatch):
    customs = with_postings.customs
    before, _ = answers(with_postings.engine, monkeypatch, ["码头"])
    assert customs.reference_code in before["码头"][1]
    with_postings.engine.delete_documents(schema.CATALOGUE, [f"r{customs.pk}-p2"])

    got, expected = answers(with_postings.engine, monkeypatch, ["码头"])

    assert got == expected
    assert customs.reference_code not in got["码头"][1]


def test_a_build_prepared_in_a_helper_process_gives_the_same_index(
    indexed_catalogue, monkeypatch
):
    engine = indexed_catalogue.engine
    indexing.rebuild(schema.CATALOGUE, engine=engine)
    in_process, _ = answers(engine, monkeypatch)
    started = []
    real_helper = local._helper_process

    def helper():
        started.append(True)
        return real_helper()

    monkeypatch.setattr(local, "HELPER_AFTER", 0)
    monkeypatch.setattr(local, "_helper_process", helper)
    indexing.rebuild(schema.CATALOGUE, engine=engine)
    with_helper, _ = answers(engine, monkeypatch)

    assert started
    assert with_helper == in_process
    assert in_process["海关"][0] > 0
