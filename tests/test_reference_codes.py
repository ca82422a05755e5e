"""档号: both forms archives write, read into their named parts, shown on the
record page under those names and searched at every prefix."""

import urllib.parse

import pytest
from django.utils import translation

from catalogue.importers.base import import_records
from catalogue.importers.csv import read_csv
from catalogue.models import Record
from catalogue.reference import InvalidReferenceCode, parse, retention_name
from search import indexing, schema
from search.engines.base import SearchRequest
from tests import test_catalogue_pages as pages
from tests.factories import RepositoryFactory

catalogue = pages.catalogue  # the record pages' catalogue page
archive = pages.archive  # a fonds > series > file > items of volume codes


@pytest.mark.parametrize(
    ("written", "code", "parts"),
    [
        (
            "J0001-001-0001-0001",
            "J0001-001-0001-0001",
            ("J0001", "001", "0001", "0001"),
        ),
        ("j0001－001－0001", "J0001-001-0001", ("J0001", "001", "0001", "")),
        (" J0001—001 ", "J0001-001", ("J0001", "001", "", "")),
        ("Ｊ０００１-１", "J0001-1", ("J0001", "1", "", "")),
        ("J0001 - 001 - 0001", "J0001-001-0001", ("J0001", "001", "0001", "")),
        ("J0001/001/0001", "J0001-001-0001", ("J0001", "001", "0001", "")),
        # A 目录号 that looks like a year is still one when no retention follows.
        (
            "J0001-2016-001-0001",
            "J0001-2016-001-0001",
            ("J0001", "2016", "001", "0001"),
        ),
        # More parts than a volume code has stay with the last.
        ("J1-2-3-4-5-6", "J1-2-3-4-5-6", ("J1", "2", "3", "4-5-6")),
    ],
)
def test_common_ways_of_writing_a_reference_code(written, code, parts):
    parsed = parse(written)
    assert parsed.code == code
    assert (parsed.fonds, parsed.series, parsed.file, parsed.item) == parts
    assert not parsed.by_item


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        (
            "0123-2016-D30-BGS-0001",
            [
                ("fonds", "0123"),
                ("year", "2016"),
                ("retention", "D30"),
                ("unit", "BGS"),
                ("item", "0001"),
            ],
        ),
        (
            "0123－2016－D30－0001",
            [
                ("fonds", "0123"),
                ("year", "2016"),
                ("retention", "D30"),
                ("item", "0001"),
            ],
        ),
        (
            "Z109-WS·2011-Y-BGS-0001",
            [
                ("fonds", "Z109"),
                ("category", "WS"),
                ("year", "2011"),
                ("retention", "Y"),
                ("unit", "BGS"),
                ("item", "0001"),
            ],
        ),
        (
            "X001-1998-永久-012",
            [
                ("fonds", "X001"),
                ("year", "1998"),
                ("retention", "永久"),
                ("item", "012"),
            ],
        ),
    ],
)
def test_dat22_item_codes_are_read_as_year_retention_and_item(written, parts):
    parsed = parse(written)
    assert parsed.by_item
    assert list(parsed.parts) == parts
    # The columns of a volume code hold what the two forms share.
    assert (parsed.fonds, parsed.series, parsed.file, parsed.item) == (
        parts[0][1],
        "",
        "",
        parts[-1][1],
    )


def test_retention_codes_are_said_in_words():
    with translation.override("zh-hans"):
        assert [retention_name(c) for c in ("Y", "D30", "D10", "C", "永久")] == [
            "永久",
            "定期30年",
            "定期10年",
            "长期",
            "永久",
        ]
    with translation.override("en"):
        assert retention_name("D30") == "30 years"
        assert retention_name("Y") == "permanent"


@pytest.mark.parametrize("written", ["", "   ", "J0001-<script>", "J" * 101])
def test_what_is_not_a_reference_code(written):
    with pytest.raises(InvalidReferenceCode):
        parse(written)


# An archive's DA/T 22 catalogue, imported, shown and searched -------------------

DAT22_CSV = """档号,上级档号,层级,题名,日期,保管期限,开放标识
0123,,全宗,临江市人民政府办公室,2016—2017,,开放
0123-2016-D30-BGS-0001,0123,件,关于2016年防汛工作的通知,2016年5月3日,30年,开放
0123-2016-D30-BGS-0002,0123,件,关于码头扩建的批复,2016年6月1日,30年,开放
0123-2016-Y-BGS-0001,0123,件,关于机构设置的决定,2016年1月8日,永久,开放
0123-2016-D30-0001,0123,件,关于春节值班的通知,2016年1月20日,30年,开放
0123-2017-D30-BGS-0001,0123,件,关于2017年防汛工作的通知,2017年4月2日,30年,开放
0123-2016-D30-BGS-0003,0123,件,关于人事任免的内部请示,2016年9月9日,30年,控制使用
"""


@pytest.fixture
def dat22(db, tmp_path, search_engine):
    repository = RepositoryFactory(code="120101", name="滨江市档案馆")
    path = tmp_path / "归档文件目录.csv"
    path.write_text(DAT22_CSV, encoding="utf-8")
    report = import_records(read_csv(path), repository)
    assert report.committed, report.lines()
    for index in schema.INDEXES:
        indexing.rebuild(index, search_engine)
    return search_engine


def codes_at(engine, prefix):
    result = engine.search(SearchRequest(reference=prefix, per_page=50))
    return sorted(hit.document["reference_code"] for hit in result.hits)


def test_dat22_codes_are_found_at_every_prefix(dat22):
    assert codes_at(dat22, "0123-2016-D30-BGS-0001") == ["0123-2016-D30-BGS-0001"]
    assert codes_at(dat22, "0123-2016-D30-BGS") == [
        "0123-2016-D30-BGS-0001",
        "0123-2016-D30-BGS-0002",
    ]
    assert codes_at(dat22, "0123-2016-D30") == [
        "0123-2016-D30-0001",
        "0123-2016-D30-BGS-0001",
        "0123-2016-D30-BGS-0002",
    ]
    year = codes_at(dat22, "0123-2016")
    assert len(year) == 4 and "0123-2016-Y-BGS-0001" in year
    assert "0123-2017-D30-BGS-0001" not in year
    # The controlled item is in no answer; its open siblings are.
    assert len(codes_at(dat22, "0123")) == 6
    assert "0123-2016-D30-BGS-0003" not in codes_at(dat22, "0123")
    assert Record.objects.filter(reference_code="0123-2016-D30-BGS-0003").count() == 0
    # A prefix is cut at a dash only.
    assert codes_at(dat22, "0123-201") == []


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        (
            "zh-hans",
            ["年度", "2016", "保管期限", "30年", "机构", "BGS", "件号"],
            ["目录号", "案卷号"],
        ),
        (
            "en",
            ["Year", "2016", "Retention period", "Item number"],
            ["Series number", "File number"],
        ),
    ],
)
def test_the_record_page_names_the_parts_of_a_dat22_code(
    client, catalogue, dat22, language, shown, not_shown
):
    item = Record.objects.get(reference_code="0123-2016-D30-BGS-0001")

    response = client.get(urllib.parse.quote(pages.url(item, language)))

    assert response.status_code == 200
    more = response.content.decode().split('class="record__more"', 1)[1]
    more = more.split("</details>", 1)[0]
    for text in shown:
        assert text in more, text
    for text in not_shown:
        assert text not in more, text
    # The record's own retention period is shown once, in its own words.
    assert more.count("保管期限" if language == "zh-hans" else "Retention period") == 1


def test_a_code_says_its_retention_when_the_record_does_not(client, catalogue, dat22):
    item = Record.objects.get(reference_code="0123-2016-D30-BGS-0001")
    Record.objects.filter(pk=item.pk).update(retention_period="")

    response = client.get(urllib.parse.quote(pages.url(item)))

    assert response.status_code == 200
    assert "定期30年" in response.content.decode()


def test_the_record_page_of_a_volume_code_keeps_its_names(client, catalogue, archive):
    response = client.get(pages.url(archive.item))

    assert response.status_code == 200
    more = response.content.decode().split('class="record__more"', 1)[1]
    more = more.split("</details>", 1)[0]
    for text in ("全宗号", "目录号", "案卷号", "件号"):
        assert text in more, text
    assert "年度" not in more
