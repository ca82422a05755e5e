"""Exports of a record: Dublin Core, JSON and EAD, valid and never past the gate.

The schemas are the official ones in ../shared/standards/, read offline: the
imports they make from the web are pointed at local files.
"""

import datetime
import io
import json
from pathlib import Path

import pytest
from lxml import etree

from catalogue import exports, fields
from catalogue.importers.base import import_records
from catalogue.importers.ead import read_ead
from catalogue.models import AccessStatus, DigitalObject, Record, Repository
from tests import test_catalogue_pages as pages
from tests.factories import FileFactory, FondsFactory, ItemFactory, SeriesFactory
from tests.test_catalogue_gate import expected_public, generate_tree

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
STANDARDS = SHARED / "standards"
MIXED = Path(__file__).parent / "fixtures/catalogue/ead/ead2002-mixed-content.xml"
EAD = "{urn:isbn:1-931666-22-9}"
DC = "{http://purl.org/dc/elements/1.1/}"
TODAY = datetime.date.today()
# The record pages' fixtures: the same catalogue page and archive.
catalogue = pages.catalogue
archive = pages.archive
url = pages.url

# The W3C schema of the xml: namespace, as much of it as Dublin Core uses.
XML_NAMESPACE_SCHEMA = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang">
    <xs:simpleType>
      <xs:union memberTypes="xs:language">
        <xs:simpleType>
          <xs:restriction base="xs:string"><xs:enumeration value=""/></xs:restriction>
        </xs:simpleType>
      </xs:union>
    </xs:simpleType>
  </xs:attribute>
</xs:schema>
"""


@pytest.fixture(scope="module")
def ead_schema():
    source = (STANDARDS / "ead" / "ead2002.xsd").read_text(encoding="utf-8")
    local = (STANDARDS / "ead" / "xlink.xsd").as_uri()
    source = source.replace("http://www.loc.gov/standards/xlink/xlink.xsd", local)
    assert local in source
    document = etree.fromstring(
        source.encode(), base_url=(STANDARDS / "ead" / "ead2002.xsd").as_uri()
    )
    return etree.XMLSchema(document)


@pytest.fixture(scope="module")
def dc_schema(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oai_dc")
    (folder / "xml.xsd").write_text(XML_NAMESPACE_SCHEMA, encoding="utf-8")
    simple = (STANDARDS / "oai-pmh" / "simpledc20021212.xsd").read_text("utf-8")
    simple = simple.replace("http://www.w3.org/2001/03/xml.xsd", "xml.xsd")
    (folder / "simpledc20021212.xsd").write_text(simple, encoding="utf-8")
    oai_dc = folder / "oai_dc.xsd"
    oai_dc.write_bytes((STANDARDS / "oai-pmh" / "oai_dc.xsd").read_bytes())
    return etree.XMLSchema(etree.parse(str(oai_dc)))


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def assert_valid(schema, xml):
    document = etree.fromstring(xml)
    if not schema.validate(document):
        pytest.fail(f"invalid: {schema.error_log}\n{xml.decode()[:3000]}")
    return document


def ead_codes(document):
    return [
        unitid.text
        for unitid in document.iter(f"{EAD}unitid")
        if unitid.get("type") is None
    ]


# Dublin Core ---------------------------------------------------------------------


@pytest.mark.django_db
def test_dublin_core_is_valid_oai_dc_with_the_records_fields(
    client, catalogue, archive, dc_schema
):
    response = client.get(url(archive.item, suffix="dc.xml"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = assert_valid(dc_schema, body(response))
    values = {}
    for element in document:
        values.setdefault(element.tag.removeprefix(DC), []).append(element.text)
    assert values["title"] == [
        "关于码头扩建工程的呈文",
        "Petition on the wharf extension works",
    ]
    assert values["identifier"] == [
        "J0001-001-0001-0001",
        "http://testserver/zh-hans/catalogue/120101/J0001-001-0001-0001/",
    ]
    assert values["creator"] == ["滨江海关", "滨江市建设局"]
    assert values["date"] == ["1956-03-12"]
    assert values["relation"] == [
        "http://testserver/zh-hans/catalogue/120101/J0001-001-0001/"
    ]
    assert values["coverage"] == ["滨江"]


@pytest.mark.django_db
def test_control_characters_from_old_catalogues_do_not_break_the_xml(
    client, catalogue, archive, dc_schema
):
    archive.item.notes = "旧目录\x0b备注\x01"
    archive.item.save()
    document = assert_valid(
        dc_schema, body(client.get(url(archive.item, suffix="dc.xml")))
    )
    assert "旧目录备注" in [element.text for element in document]


# JSON ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_json_has_the_public_fields_the_hierarchy_and_the_files(
    client, catalogue, archive
):
    archive.item.withdrawal_reason = "内部说明"
    archive.item.opening_date = datetime.date(2000, 1, 1)
    archive.item.save()
    DigitalObject.objects.create(record=archive.item, kind="image", file="x/p1.png")

    response = client.get(url(archive.item, "en", "record.json"))

    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["reference_code"] == "J0001-001-0001-0001"
    assert data["title_en"] == "Petition on the wharf extension works"
    assert data["date_start"] == "1956-03-12"
    assert data["subjects"] == ["港口建设", "码头"]
    assert data["repository"]["name_en"] == "Binjiang Municipal Archives"
    assert data["url"].endswith("/en/catalogue/120101/J0001-001-0001-0001/")
    assert [a["reference_code"] for a in data["ancestors"]] == [
        "J0001",
        "J0001-001",
        "J0001-001-0001",
    ]
    assert data["digital_objects"][0]["url"].endswith("/J0001-001-0001-0001/files/1/")
    assert data["citation"]["zh"].startswith(
        "滨江海关, 滨江市建设局. 关于码头扩建工程的呈文[A]. 滨江市档案馆, "
    )
    assert "ead" not in data["links"]
    # Only public fields: nothing about why or when the archive restricts it.
    text = response.content.decode()
    for private in (
        "withdrawal_reason",
        "opening_date",
        "内部说明",
        "gate_",
        "last_import",
    ):
        assert private not in text
    assert set(data) >= set(exports.PUBLIC_FIELDS)


# EAD -------------------------------------------------------------------------------


@pytest.fixture
def mixed_fonds(archive):
    """The archive's fonds with closed, withdrawn and not-yet-open branches."""
    file = archive.file
    ItemFactory(parent=file, reference_code="J0001-001-0001-0002", position=2)
    ItemFactory(
        parent=file,
        reference_code="J0001-001-0001-0003",
        title="未开放的件",
        access_status=AccessStatus.CLOSED,
        position=3,
    )
    ItemFactory(
        parent=file,
        reference_code="J0001-001-0001-0004",
        title="撤回的件",
        withdrawn=True,
        position=4,
    )
    closed_series = SeriesFactory(
        parent=archive.fonds,
        reference_code="J0001-002",
        title="控制使用的目录",
        access_status=AccessStatus.CONTROLLED,
    )
    FileFactory(parent=closed_series, reference_code="J0001-002-0001", title="下级案卷")
    ItemFactory(
        parent=file,
        reference_code="J0001-001-0001-0005",
        title="明年开放的件",
        opening_date=TODAY + datetime.timedelta(days=100),
        position=5,
    )
    second_series = SeriesFactory(parent=archive.fonds, reference_code="J0001-003")
    FileFactory(parent=second_series, reference_code="J0001-003-0001")
    return archive


@pytest.mark.django_db
def test_ead_of_a_fonds_is_valid_and_holds_its_public_subtree_only(
    client, catalogue, mixed_fonds, ead_schema
):
    response = client.get(url(mixed_fonds.fonds, suffix="ead.xml"))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    xml = body(response)
    document = assert_valid(ead_schema, xml)
    assert document.tag == f"{EAD}ead"
    assert document.find(f"{EAD}archdesc").get("level") == "fonds"
    # Depth first, each level in archival order.
    assert ead_codes(document) == [
        "J0001",
        "J0001-001",
        "J0001-001-0001",
        "J0001-001-0001-0001",
        "J0001-001-0001-0002",
        "J0001-003",
        "J0001-003-0001",
    ]
    text = xml.decode()
    for hidden in (
        "未开放的件",
        "撤回的件",
        "控制使用的目录",
        "下级案卷",
        "明年开放的件",
    ):
        assert hidden not in text
    item = document.find(f".//{EAD}c[@level='item']")
    assert item.find(f"{EAD}did/{EAD}unitdate").get("normal") == "1956-03-12"
    assert [p.text for p in item.iter(f"{EAD}subject")] == ["港口建设", "码头"]


@pytest.mark.django_db
def test_ead_of_a_series_starts_at_the_series(
    client, catalogue, mixed_fonds, ead_schema
):
    response = client.get(url(mixed_fonds.series, "en", "ead.xml"))
    document = assert_valid(ead_schema, body(response))
    assert document.find(f"{EAD}archdesc").get("level") == "series"
    assert ead_codes(document)[:2] == ["J0001-001", "J0001-001-0001"]
    assert "J0001" not in ead_codes(document)


@pytest.mark.django_db
def test_formatted_notes_go_out_as_paragraphs_and_lines_and_come_back(
    client, catalogue, archive, ead_schema
):
    report = import_records(read_ead(MIXED), archive.repository, default_access="open")
    assert report.committed, report.lines()
    fonds = Record.objects.get(reference_code="J0010")

    xml = body(client.get(url(fonds, suffix="ead.xml")))

    document = assert_valid(ead_schema, xml)
    bioghist = document.find(f"{EAD}archdesc/{EAD}bioghist")
    first = bioghist.find(f"{EAD}p")
    assert first.text == "滨江港务局成立于1949年，隶属滨江市人民政府。"
    assert [lb.tail for lb in first.iter(f"{EAD}lb")] == ["1956年与海关合并。"]
    assert len(bioghist.findall(f"{EAD}p")) == 2
    # Read again, the export gives the texts it was made from.
    names = ["scope_and_content", "notes", *fields.EAD_NOTES.values()]
    again = {
        row.reference_code: row
        for row in read_ead(io.BytesIO(xml))
        if hasattr(row, "reference_code")
    }
    for record in Record.objects.filter(reference_code__startswith="J0010"):
        for name in names:
            assert getattr(again[record.reference_code], name) == getattr(
                record, name
            ), (record.reference_code, name)


@pytest.mark.django_db
def test_ead_streams_large_levels_in_batches(
    client, catalogue, archive, ead_schema, monkeypatch
):
    monkeypatch.setattr(exports, "EAD_BATCH", 7)
    for n in range(2, 24):
        ItemFactory(
            parent=archive.file,
            reference_code=f"J0001-001-0001-{n:04d}",
            position=n if n % 5 else 1,  # ties on position fall back to the code
            access_status=AccessStatus.CLOSED if n == 9 else AccessStatus.OPEN,
        )
    document = assert_valid(
        ead_schema, body(client.get(url(archive.fonds, suffix="ead.xml")))
    )
    items = [code for code in ead_codes(document) if code.count("-") == 3]
    assert len(items) == 22
    assert "J0001-001-0001-0009" not in items
    tied = ["J0001-001-0001-0001"] + [
        f"J0001-001-0001-{n:04d}" for n in (5, 10, 15, 20)
    ]
    assert items[:5] == tied


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["file", "item"])
def test_ead_is_only_for_fonds_and_series(client, catalogue, archive, level):
    assert client.get(url(getattr(archive, level), suffix="ead.xml")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["dc.xml", "record.json", "ead.xml"])
def test_exports_obey_the_gate(client, catalogue, archive, suffix):
    closed = FondsFactory(
        repository=archive.repository, access_status=AccessStatus.CLOSED
    )
    # Public first: only a record that was public answers 410 once withdrawn.
    withdrawn = FondsFactory(repository=archive.repository)
    assert client.get(url(withdrawn, suffix=suffix)).status_code == 200
    withdrawn.withdrawn = True
    withdrawn.save()
    below_closed = SeriesFactory(parent=closed)
    # Withdrawn before it was ever public: as if it did not exist.
    never_public = FondsFactory(repository=archive.repository, withdrawn=True)
    assert client.get(url(closed, suffix=suffix)).status_code == 404
    assert client.get(url(never_public, suffix=suffix)).status_code == 404
    assert client.get(url(below_closed, suffix=suffix)).status_code == 404
    assert client.get(url(withdrawn, suffix=suffix)).status_code == 410


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [21, 22])
def test_exports_of_generated_trees_name_only_public_records(
    client, catalogue, seed, ead_schema
):
    _rng, records = generate_tree(seed, size=90)
    public = set(
        Record.objects.filter(pk__in=expected_public(TODAY)).values_list(
            "reference_code", flat=True
        )
    )
    for record in records:
        if record.reference_code not in public:
            continue
        data = json.loads(client.get(url(record, suffix="record.json")).content)
        assert {a["reference_code"] for a in data["ancestors"]} <= public
        if record.level in ("fonds", "series"):
            document = assert_valid(
                ead_schema, body(client.get(url(record, suffix="ead.xml")))
            )
            codes = set(ead_codes(document))
            assert codes <= public, codes - public
            below = Record.objects.subtree(record).values_list(
                "reference_code", flat=True
            )
            assert codes == public & set(below)


def test_citations_follow_gb_t_7714_and_an_english_form():
    """责任者. 题名[A]. 保存单位, 日期. 档号: the dates as written, or at the
    precision the catalogue knows them, never a day it does not."""
    record = Record(
        repository=Repository(name="滨江市档案馆", name_en="Binjiang Archives"),
        reference_code="J0001-001-0001-0001",
        title="关于码头扩建工程的呈文",
        title_en="Petition on the wharf extension",
        creators=["滨江海关", "滨江市建设局"],
        date_start=datetime.date(1956, 3, 12),
        date_end=datetime.date(1956, 3, 12),
    )
    assert exports.citation_zh(record) == (
        "滨江海关, 滨江市建设局. 关于码头扩建工程的呈文[A]. 滨江市档案馆, "
        "1956-03-12. 档号 J0001-001-0001-0001."
    )
    assert exports.citation_en(record) == (
        "滨江海关; 滨江市建设局. “关于码头扩建工程的呈文” "
        "[Petition on the wharf extension], 1956-03-12. "
        "Binjiang Archives, J0001-001-0001-0001."
    )
    record.date_end = datetime.date(1956, 4, 1)
    assert "滨江市档案馆, 1956-03-12/1956-04-01." in exports.citation_zh(record)
    # A fonds of whole years: as written in Chinese, as years in English.
    record.date_expression = "1902—1949"
    record.date_start = datetime.date(1902, 1, 1)
    record.date_end = datetime.date(1949, 12, 31)
    assert "滨江市档案馆, 1902—1949. 档号" in exports.citation_zh(record)
    assert "], 1902/1949. Binjiang" in exports.citation_en(record)
    for citation in (exports.citation_zh(record), exports.citation_en(record)):
        assert "01-01" not in citation and "12-31" not in citation
    record.date_expression = ""
    assert "滨江市档案馆, 1902/1949." in exports.citation_zh(record)
    record.date_start = datetime.date(1956, 3, 1)
    record.date_end = datetime.date(1956, 3, 31)
    assert "滨江市档案馆, 1956-03." in exports.citation_zh(record)
    # Undated and without creators: nothing invented in their place.
    record.date_start = record.date_end = None
    record.creators = []
    record.date_expression = "民国三十年"
    assert exports.citation_zh(record) == (
        "关于码头扩建工程的呈文[A]. 滨江市档案馆, 民国三十年. 档号 J0001-001-0001-0001."
    )
    record.date_expression = ""
    assert exports.citation_zh(record) == (
        "关于码头扩建工程的呈文[A]. 滨江市档案馆. 档号 J0001-001-0001-0001."
    )
    assert exports.citation_en(record) == (
        "“关于码头扩建工程的呈文” [Petition on the wharf extension]. "
        "Binjiang Archives, J0001-001-0001-0001."
    )


@pytest.mark.django_db
def test_ead_components_are_named_by_their_reference_codes_not_database_ids(
    client, catalogue, mixed_fonds, ead_schema
):
    """A database id would tell how many records lie hidden between two."""
    response = client.get(url(mixed_fonds.fonds, suffix="ead.xml"))
    assert response.status_code == 200
    xml = body(response)
    # xs:ID: the schema holds every id to an NCName, unique in the document.
    document = assert_valid(ead_schema, xml)
    components = list(document.iter(f"{EAD}c"))
    codes = [c.find(f"{EAD}did/{EAD}unitid").text for c in components]
    assert codes[:2] == ["J0001-001", "J0001-001-0001"]  # the positive control
    assert [c.get("id") for c in components] == [
        exports.component_id(code) for code in codes
    ]
    assert components[0].get("id") == "ref-J0001-001"
    text = xml.decode()
    for record in Record.objects.all():
        assert f'id="r{record.pk}"' not in text
        assert f'"{record.pk}"' not in text


@pytest.mark.django_db
def test_ead_ids_of_any_reference_code_are_valid_and_distinct(
    client, catalogue, archive, ead_schema
):
    odd = ["J0001-001-0001-(1)", "J0001-001-0001-档·2011", "J0001-001-0001-Y.1"]
    for position, code in enumerate(odd, start=2):
        ItemFactory(parent=archive.file, reference_code=code, position=position)
    response = client.get(url(archive.fonds, suffix="ead.xml"))
    assert response.status_code == 200
    document = assert_valid(ead_schema, body(response))
    ids = {
        c.find(f"{EAD}did/{EAD}unitid").text: c.get("id")
        for c in document.iter(f"{EAD}c")
    }
    assert set(odd) <= set(ids)
    assert ids["J0001-001-0001-(1)"] == "ref-J0001-001-0001-_28_1_29_"
    assert ids["J0001-001-0001-档·2011"] == "ref-J0001-001-0001-档·2011"
    # One to one: "_" is escaped too, so no code can take another's id.
    assert exports.component_id("A-_28_") != exports.component_id("A-(")
