"""OAI-PMH 2.0 at /oai: every verb, every error, datestamps and deleted records.

Every response of these tests is validated against the protocol's schema
(../shared/standards/oai-pmh/OAI-PMH.xsd) with the metadata inside it against
oai_dc.xsd and EAD 2002, read offline: the schemas' imports from the web are
answered with local copies (xmlschema's copy of the W3C xml.xsd, the xlink
schema beside EAD's). The first law is checked as everywhere: only records of
`Record.objects.public()` are ever listed, and a word written in records that
are not public is in no response, with open records beside them as controls.
"""

import datetime
import random
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import xmlschema
from django.core import signing
from django.db.models import F
from django.test import Client
from django.utils import timezone
from lxml import etree
from sickle import Sickle

from catalogue.importers.base import RecordRow, import_records
from catalogue.models import AccessStatus, Record
from catalogue.oai import datestamps, identifiers, metadata, tokens
from catalogue.oai.tombstones import Tombstone
from tests import test_catalogue_pages as pages
from tests.factories import (
    FileFactory,
    FondsFactory,
    ItemFactory,
    RepositoryFactory,
    SeriesFactory,
)
from tests.test_catalogue_gate import expected_public, generate_tree

STANDARDS = Path(__file__).resolve().parents[1].parent / "shared" / "standards"
XML_XSD = Path(xmlschema.__file__).parent / "schemas" / "XML" / "xml.xsd"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
EAD = "{urn:isbn:1-931666-22-9}"
BASE = "https://archives.example.org"
HOST = "archives.example.org"
# Written into every record that is not public: it must be in no response.
MARKER = "不公开标记XK27"
# The record pages' fixtures: the same catalogue page and archive.
catalogue = pages.catalogue
archive = pages.archive


# Validation, offline --------------------------------------------------------------


class Offline(etree.Resolver):
    """The schemas' imports from the web, answered from local copies."""

    LOCAL = {
        "http://www.w3.org/2001/03/xml.xsd": XML_XSD,
        "http://www.w3.org/2001/xml.xsd": XML_XSD,
        "http://www.loc.gov/standards/xlink/xlink.xsd": STANDARDS / "ead/xlink.xsd",
    }

    def resolve(self, url, pubid, context):
        if url in self.LOCAL:
            return self.resolve_filename(str(self.LOCAL[url]), context)
        assert not url.startswith(("http:", "https:")), f"schema from the web: {url}"
        return None


@pytest.fixture(scope="module")
def oai_schema():
    """OAI-PMH responses with their metadata and descriptions, all strict."""
    imports = {
        "http://www.openarchives.org/OAI/2.0/": "oai-pmh/OAI-PMH.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/": "oai-pmh/oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai-identifier": (
            "oai-pmh/oai-identifier.xsd"
        ),
        "urn:isbn:1-931666-22-9": "ead/ead2002.xsd",
    }
    driver = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        + "".join(
            f'<xs:import namespace="{namespace}" '
            f'schemaLocation="{(STANDARDS / path).as_uri()}"/>'
            for namespace, path in imports.items()
        )
        + "</xs:schema>"
    )
    parser = etree.XMLParser()
    parser.resolvers.add(Offline())
    document = etree.fromstring(driver.encode(), parser, base_url="driver.xsd")
    return etree.XMLSchema(document)


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE


def content(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


class Harvester:
    """Requests to /oai, each response checked: 200, text/xml, valid."""

    def __init__(self, client, schema):
        self.client = client
        self.schema = schema
        self.bodies = []  # every response body, for the marker checks

    def raw(self, params, method="get"):
        if method == "post":
            response = self.client.post(
                "/oai", urlencode(params, doseq=True), content_type=FORM
            )
        else:
            response = self.client.get("/oai?" + urlencode(params, doseq=True))
        assert response.status_code == 200, params
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        body = content(response)
        self.bodies.append(body)
        document = etree.fromstring(body)
        if not self.schema.validate(document):
            pytest.fail(f"invalid: {self.schema.error_log}\n{body.decode()[:4000]}")
        return document

    def __call__(self, verb, method="get", **params):
        return self.raw({"verb": verb, **_keywords(params)}, method)

    def list(self, verb, **params):
        """Every item of a list, following its resumption tokens; and the
        tokens' elements, in order."""
        element = {"ListRecords": "record", "ListIdentifiers": "header"}.get(
            verb, "set"
        )
        document = self(verb, **params)
        items, tokens_seen = [], []
        while True:
            assert not errors(document), errors(document)
            container = document.find(f"{OAI}{verb}")
            items += container.findall(f"{OAI}{element}")
            token = container.find(f"{OAI}resumptionToken")
            if token is None:
                return items, tokens_seen
            tokens_seen.append(token)
            if not token.text:
                return items, tokens_seen
            document = self(verb, resumptionToken=token.text)

    def seen(self, text):
        return any(text.encode() in body for body in self.bodies)


FORM = "application/x-www-form-urlencoded"


def _keywords(params):
    # from is a Python keyword: from_ stands for it.
    return {name.rstrip("_"): value for name, value in params.items()}


@pytest.fixture
def oai(client, oai_schema):
    return Harvester(client, oai_schema)


def errors(document):
    return [error.get("code") for error in document.findall(f"{OAI}error")]


def identifier(record):
    return f"oai:{HOST}:{quote(record.repository.code)}/{quote(record.reference_code)}"


def header_identifiers(items):
    """The identifiers of headers or records (or of those in a list)."""
    return [
        _header(item).findtext(f"{OAI}identifier")
        for item in items
        if item.tag in (f"{OAI}header", f"{OAI}record")
    ]


def live_identifiers(items):
    return {
        ident
        for ident, item in zip(header_identifiers(items), items, strict=True)
        if _header(item).get("status") is None
    }


def deleted_identifiers(items):
    return {
        ident
        for ident, item in zip(header_identifiers(items), items, strict=True)
        if _header(item).get("status") == "deleted"
    }


def _header(item):
    return item if item.tag == f"{OAI}header" else item.find(f"{OAI}header")


def request_attributes(document):
    return dict(document.find(f"{OAI}request").attrib)


def datestamp_of(item):
    text = _header(item).findtext(f"{OAI}datestamp")
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.UTC
    )


def utc_seconds(moment):
    return datestamps.utc(moment)


def an_hour_ago():
    """Moves what was written until now an hour back and gives the moment
    between: what a from= of now finds is what changes after (datestamps are
    shown to the second, and the fixtures were written in this one)."""
    now = timezone.now()
    Record.objects.filter(datestamp__lte=now).update(
        datestamp=F("datestamp") - datetime.timedelta(hours=1)
    )
    Tombstone.objects.update(left_at=F("left_at") - datetime.timedelta(hours=1))
    return (now - datetime.timedelta(minutes=30)).replace(microsecond=0)


def withdraw(record):
    record = Record.objects.get(pk=record.pk)
    record.withdrawn = True
    record.save()
    return record


# Identify -------------------------------------------------------------------------


@pytest.mark.django_db
def test_identify_describes_the_repository(oai, catalogue, archive):
    document = oai("Identify")

    identify = document.find(f"{OAI}Identify")
    assert identify.findtext(f"{OAI}baseURL") == f"{BASE}/oai"
    assert identify.findtext(f"{OAI}protocolVersion") == "2.0"
    assert identify.findtext(f"{OAI}deletedRecord") == "persistent"
    assert identify.findtext(f"{OAI}granularity") == "YYYY-MM-DDThh:mm:ssZ"
    assert "@" in identify.findtext(f"{OAI}adminEmail")
    earliest = identify.findtext(f"{OAI}earliestDatestamp")
    first = min(Record.objects.public().values_list("datestamp", flat=True))
    assert earliest == utc_seconds(first)
    sample = identify.find(
        ".//{http://www.openarchives.org/OAI/2.0/oai-identifier}repositoryIdentifier"
    )
    assert sample.text == HOST
    assert document.find(f"{OAI}request").text == f"{BASE}/oai"
    assert request_attributes(document) == {"verb": "Identify"}


@pytest.mark.django_db
def test_identify_names_the_archive_and_its_email_from_its_settings(oai, catalogue):
    from home.models import ArchiveSettings

    ArchiveSettings.objects.update_or_create(
        site=catalogue.site.site,
        defaults={
            "archive_name": "滨江市档案馆",
            "archive_name_en": "Binjiang Municipal Archives",
            "email": "service@archives.example.org",
        },
    )
    identify = oai("Identify").find(f"{OAI}Identify")
    assert identify.findtext(f"{OAI}repositoryName") == (
        "滨江市档案馆 / Binjiang Municipal Archives"
    )
    assert identify.findtext(f"{OAI}adminEmail") == "service@archives.example.org"


@pytest.mark.django_db
def test_identify_leaves_out_the_identifier_description_for_an_address(
    oai, settings, archive
):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    document = oai("Identify")
    assert document.find(f"{OAI}Identify/{OAI}description") is None
    assert document.find(f"{OAI}Identify").findtext(f"{OAI}baseURL") == (
        "http://127.0.0.1:8000/oai"
    )


# ListMetadataFormats --------------------------------------------------------------


def prefixes(document):
    return [
        f.findtext(f"{OAI}metadataPrefix")
        for f in document.iter(f"{OAI}metadataFormat")
    ]


@pytest.mark.django_db
def test_list_metadata_formats_of_the_repository_and_of_one_record(oai, archive):
    assert prefixes(oai("ListMetadataFormats")) == ["oai_dc", "ead"]
    fonds = oai("ListMetadataFormats", identifier=identifier(archive.fonds))
    assert prefixes(fonds) == ["oai_dc", "ead"]
    series = oai("ListMetadataFormats", identifier=identifier(archive.series))
    assert prefixes(series) == ["oai_dc", "ead"]
    item = oai("ListMetadataFormats", identifier=identifier(archive.item))
    assert prefixes(item) == ["oai_dc"]
    assert request_attributes(item) == {
        "verb": "ListMetadataFormats",
        "identifier": identifier(archive.item),
    }


@pytest.mark.django_db
def test_a_record_that_is_not_public_does_not_exist_for_list_metadata_formats(
    oai, archive
):
    closed = ItemFactory(parent=archive.file, access_status=AccessStatus.CLOSED)
    answers = {}
    for name, asked in (
        ("closed", identifier(closed)),
        ("none", f"oai:{HOST}:120101/J0001-001-0001-9999"),
        ("open", identifier(archive.item)),
    ):
        document = oai("ListMetadataFormats", identifier=asked)
        answers[name] = (errors(document), document.findtext(f"{OAI}error"))
    assert answers["closed"] == answers["none"]
    assert answers["closed"][0] == ["idDoesNotExist"]
    assert answers["open"] == ([], None)


@pytest.mark.django_db
def test_no_metadata_formats_when_no_format_disseminates_the_item(
    oai, archive, monkeypatch
):
    # Every record has oai_dc; with ead alone, an item has no format at all.
    monkeypatch.setattr(metadata, "FORMATS", {"ead": metadata.EAD})
    item = oai("ListMetadataFormats", identifier=identifier(archive.item))
    assert errors(item) == ["noMetadataFormats"]
    fonds = oai("ListMetadataFormats", identifier=identifier(archive.fonds))
    assert prefixes(fonds) == ["ead"]


# ListSets -------------------------------------------------------------------------


def sets_of(items):
    return {s.findtext(f"{OAI}setSpec"): s.findtext(f"{OAI}setName") for s in items}


@pytest.mark.django_db
def test_list_sets_lists_repositories_and_public_fonds(oai, archive):
    second = FondsFactory(
        repository=archive.repository, reference_code="J0002", title="滨江市商会"
    )
    FondsFactory(
        repository=archive.repository,
        reference_code="J0003",
        title=MARKER,
        access_status=AccessStatus.CLOSED,
    )
    # A repository without a public record has no set yet.
    empty = RepositoryFactory(code="120199", name=MARKER)
    FondsFactory(repository=empty, access_status=AccessStatus.CONTROLLED)

    items, tokens_seen = oai.list("ListSets")

    assert sets_of(items) == {
        "120101": "滨江市档案馆 / Binjiang Municipal Archives",
        "120101:J0001": "滨江海关 / Binjiang Customs",
        "120101:J0002": second.title,
    }
    assert tokens_seen == []
    assert not oai.seen(MARKER)


@pytest.mark.django_db
def test_list_sets_pages_with_resumption_tokens(oai, archive, settings):
    settings.OAI_SETS_PER_PAGE = 2
    for n in range(2, 7):
        FondsFactory(repository=archive.repository, reference_code=f"J{n:04d}")
    other = RepositoryFactory(code="120102", name="滨江市第二档案馆", name_en="")
    FondsFactory(repository=other, reference_code="A0001", title="市政府")

    items, tokens_seen = oai.list("ListSets")

    specs = [s.findtext(f"{OAI}setSpec") for s in items]
    assert specs == [
        "120101",
        *(f"120101:J{n:04d}" for n in range(1, 7)),
        "120102",
        "120102:A0001",
    ]
    assert sets_of(items)["120102"] == "滨江市第二档案馆"
    assert [t.get("cursor") for t in tokens_seen] == ["0", "2", "4", "6", "8"]
    assert {t.get("completeListSize") for t in tokens_seen} == {"9"}
    assert tokens_seen[-1].text is None


@pytest.mark.django_db
def test_set_specs_encode_codes_the_syntax_does_not_allow(oai, archive):
    repository = RepositoryFactory(code="滨江~01", name="滨江区档案馆")
    fonds = FondsFactory(repository=repository, reference_code="Z109-WS·2011")
    item = SeriesFactory(parent=fonds, reference_code="Z109-WS·2011-Y")

    specs = set(sets_of(oai.list("ListSets")[0]))
    repository_spec = "~E6~BB~A8~E6~B1~9F~7E01"
    fonds_spec = repository_spec + ":Z109-WS~C2~B72011"
    assert {repository_spec, fonds_spec} <= specs
    assert identifiers.parse_set(fonds_spec) == identifiers.SetSpec(
        "滨江~01", "Z109-WS·2011"
    )

    listed, _ = oai.list("ListIdentifiers", metadataPrefix="oai_dc", set=fonds_spec)
    assert sorted(header_identifiers(listed)) == [identifier(fonds), identifier(item)]
    headers = [_header(entry) for entry in listed]
    assert [s.text for s in headers[1].findall(f"{OAI}setSpec")] == [
        repository_spec,
        fonds_spec,
    ]
    # The identifier is percent-encoded UTF-8, and read back.
    assert identifier(item) == (f"oai:{HOST}:%E6%BB%A8%E6%B1%9F~01/Z109-WS%C2%B72011-Y")
    record = oai("GetRecord", identifier=identifier(item), metadataPrefix="oai_dc")
    assert errors(record) == []


@pytest.mark.django_db
def test_list_sets_without_any_public_record_is_no_set_hierarchy(oai):
    FondsFactory(access_status=AccessStatus.CLOSED)
    assert errors(oai("ListSets")) == ["noSetHierarchy"]


# GetRecord ------------------------------------------------------------------------


@pytest.mark.django_db
def test_get_record_gives_the_dublin_core_export_with_its_permalink(
    oai, catalogue, archive
):
    document = oai(
        "GetRecord", identifier=identifier(archive.item), metadataPrefix="oai_dc"
    )

    record = document.find(f"{OAI}GetRecord/{OAI}record")
    header = record.find(f"{OAI}header")
    assert header.findtext(f"{OAI}identifier") == identifier(archive.item)
    assert [s.text for s in header.findall(f"{OAI}setSpec")] == [
        "120101",
        "120101:J0001",
    ]
    item = Record.objects.get(pk=archive.item.pk)
    assert header.findtext(f"{OAI}datestamp") == utc_seconds(item.datestamp)
    dc = {}
    for element in record.find(f"{OAI}metadata")[0]:
        dc.setdefault(element.tag.removeprefix(DC), []).append(element.text)
    assert dc["title"] == [
        "关于码头扩建工程的呈文",
        "Petition on the wharf extension works",
    ]
    permalink = f"{BASE}/zh-hans/catalogue/120101/J0001-001-0001-0001/"
    assert dc["identifier"] == ["J0001-001-0001-0001", permalink]
    assert dc["relation"] == [f"{BASE}/zh-hans/catalogue/120101/J0001-001-0001/"]
    # The response's language is the portal's, whatever the harvester's.
    english = Harvester(Client(HTTP_ACCEPT_LANGUAGE="en"), oai.schema)
    again = english(
        "GetRecord", identifier=identifier(archive.item), metadataPrefix="oai_dc"
    )
    assert etree.tostring(again.find(f"{OAI}GetRecord")) == etree.tostring(
        document.find(f"{OAI}GetRecord")
    )


@pytest.mark.django_db
def test_get_record_gives_the_finding_aid_of_a_fonds_public_subtree(
    oai, catalogue, archive
):
    ItemFactory(parent=archive.file, access_status=AccessStatus.CLOSED, title=MARKER)

    document = oai(
        "GetRecord", identifier=identifier(archive.fonds), metadataPrefix="ead"
    )

    ead = document.find(f"{OAI}GetRecord/{OAI}record/{OAI}metadata/{EAD}ead")
    assert ead is not None
    codes = [u.text for u in ead.iter(f"{EAD}unitid") if u.get("type") is None]
    assert codes == [
        "J0001",
        "J0001-001",
        "J0001-001-0001",
        "J0001-001-0001-0001",
    ]
    assert ead.find(f".//{EAD}eadid").get("url") == (
        f"{BASE}/zh-hans/catalogue/120101/J0001/"
    )
    assert not oai.seen(MARKER)


@pytest.mark.django_db
def test_ead_of_a_file_or_an_item_cannot_be_disseminated(oai, archive):
    for record in (archive.file, archive.item):
        document = oai("GetRecord", identifier=identifier(record), metadataPrefix="ead")
        assert errors(document) == ["cannotDisseminateFormat"]
        assert request_attributes(document) == {
            "verb": "GetRecord",
            "identifier": identifier(record),
            "metadataPrefix": "ead",
        }
    unknown = oai(
        "GetRecord", identifier=identifier(archive.item), metadataPrefix="marc"
    )
    assert errors(unknown) == ["cannotDisseminateFormat"]


@pytest.mark.django_db
def test_get_record_of_records_that_are_not_public_is_id_does_not_exist(oai, archive):
    hidden = [
        ItemFactory(parent=archive.file, access_status=AccessStatus.CLOSED),
        ItemFactory(parent=archive.file, access_status=AccessStatus.CONTROLLED),
        ItemFactory(
            parent=archive.file,
            opening_date=timezone.localdate() + datetime.timedelta(days=1),
        ),
        ItemFactory(parent=archive.file, withdrawn=True),
        ItemFactory(parent=FileFactory(parent=archive.series, withdrawn=True)),
        ItemFactory(parent=FileFactory(parent=archive.series, access_status="closed")),
    ]
    for record in hidden:
        record.title = MARKER
        Record.objects.filter(pk=record.pk).update(title=MARKER)

    answers = set()
    for asked in [
        *(identifier(record) for record in hidden),
        f"oai:{HOST}:120101/J9999",
        f"oai:{HOST}:999999/J0001",
        "oai:elsewhere.example.org:120101/J0001",
        "junk",
    ]:
        document = oai("GetRecord", identifier=asked, metadataPrefix="oai_dc")
        answers.add((tuple(errors(document)), document.findtext(f"{OAI}error")))
    assert len(answers) == 1 and next(iter(answers))[0] == ("idDoesNotExist",)
    assert not oai.seen(MARKER)
    control = oai(
        "GetRecord", identifier=identifier(archive.item), metadataPrefix="oai_dc"
    )
    assert errors(control) == []


@pytest.mark.django_db
def test_identifiers_are_read_as_reference_codes_are(oai, archive):
    # Another spelling of the same 档号: lower case, a full-width dash.
    asked = f"oai:{HOST.upper()}:120101/j0001－001-0001-0001"
    document = oai("GetRecord", identifier=asked, metadataPrefix="oai_dc")
    header = document.find(f"{OAI}GetRecord/{OAI}record/{OAI}header")
    assert header.findtext(f"{OAI}identifier") == identifier(archive.item)


# ListIdentifiers and ListRecords: the first law -----------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [21, 22])
def test_harvests_hold_exactly_the_public_records(oai, catalogue, seed, settings):
    settings.OAI_RECORDS_PER_PAGE = 7
    settings.OAI_IDENTIFIERS_PER_PAGE = 9
    settings.OAI_EAD_RECORDS_PER_PAGE = 3
    _rng, records = generate_tree(seed, size=90)
    public = Record.objects.filter(pk__in=expected_public(timezone.localdate()))
    hidden = Record.objects.exclude(pk__in=public.values("pk"))
    hidden.update(scope_and_content=MARKER, title=MARKER)
    public_ids = {identifier(record) for record in public}
    ead_ids = {identifier(r) for r in public if r.level in ("fonds", "series")}
    assert public_ids and hidden.exists() and ead_ids

    listed, _ = oai.list("ListIdentifiers", metadataPrefix="oai_dc")
    assert sorted(header_identifiers(listed)) == sorted(public_ids)
    harvested, _ = oai.list("ListRecords", metadataPrefix="oai_dc")
    assert sorted(header_identifiers(harvested)) == sorted(public_ids)
    found_aids, _ = oai.list("ListRecords", metadataPrefix="ead")
    assert sorted(header_identifiers(found_aids)) == sorted(ead_ids)
    sets, _ = oai.list("ListSets")
    fonds_sets = [spec for spec in sets_of(sets) if ":" in spec]
    assert len(fonds_sets) == public.filter(parent__isnull=True).count()
    for spec in fonds_sets:
        inside, _ = oai.list("ListIdentifiers", metadataPrefix="oai_dc", set=spec)
        fonds = public.get(parent__isnull=True, reference_code=spec.split(":")[1])
        expected = {identifier(r) for r in Record.objects.subtree(fonds) if r in public}
        assert set(header_identifiers(inside)) == expected
    for record in records:
        document = oai(
            "GetRecord", identifier=identifier(record), metadataPrefix="oai_dc"
        )
        assert (errors(document) == []) == (identifier(record) in public_ids)

    assert not oai.seen(MARKER)
    # The positive control: what is public is delivered.
    assert all(oai.seen(record.title) for record in public)


@pytest.mark.django_db
def test_list_records_pages_by_keyset_with_counts_and_expiry(oai, archive, settings):
    settings.OAI_RECORDS_PER_PAGE = 2
    for n in range(2, 8):
        ItemFactory(parent=archive.file, reference_code=f"J0001-001-0001-{n:04d}")

    started = timezone.now()
    items, tokens_seen = oai.list("ListRecords", metadataPrefix="oai_dc")

    assert len(items) == 10
    assert len(set(header_identifiers(items))) == 10
    assert [t.get("cursor") for t in tokens_seen] == ["0", "2", "4", "6", "8"]
    assert {t.get("completeListSize") for t in tokens_seen} == {"10"}
    assert (
        tokens_seen[-1].text is None and tokens_seen[-1].get("expirationDate") is None
    )
    expires = datetime.datetime.strptime(
        tokens_seen[0].get("expirationDate"), "%Y-%m-%dT%H:%M:%SZ"
    ).replace(tzinfo=datetime.UTC)
    day = datetime.timedelta(days=1)
    assert started + day - datetime.timedelta(seconds=2) <= expires
    assert expires <= timezone.now() + day
    # Datestamps never go back: the list is in the order of its keys.
    moments = [datestamp_of(item) for item in items]
    assert moments == sorted(moments)
    # A list that fits in one response has no token at all.
    settings.OAI_RECORDS_PER_PAGE = 100
    whole = oai("ListRecords", metadataPrefix="oai_dc")
    assert whole.find(f"{OAI}ListRecords/{OAI}resumptionToken") is None


@pytest.mark.django_db
def test_a_record_changed_during_a_harvest_comes_again_later(oai, archive, settings):
    settings.OAI_IDENTIFIERS_PER_PAGE = 2
    first = oai("ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find(f"{OAI}ListIdentifiers/{OAI}resumptionToken").text
    delivered = header_identifiers(first.find(f"{OAI}ListIdentifiers"))
    # An edit moves a record already delivered past the rest of the list.
    edited = next(
        record
        for record in (archive.fonds, archive.series, archive.file, archive.item)
        if identifier(record) == delivered[0]
    )
    edited = Record.objects.get(pk=edited.pk)
    edited.title_en = "Revised"
    edited.save()

    rest = []
    while token:
        document = oai("ListIdentifiers", resumptionToken=token)
        container = document.find(f"{OAI}ListIdentifiers")
        rest += header_identifiers(container)
        token = container.findtext(f"{OAI}resumptionToken")
    assert identifier(edited) in rest
    # After it, at most the finding aids above it (their datestamps moved too).
    after = rest[rest.index(identifier(edited)) + 1 :]
    assert set(after) <= {identifier(archive.fonds), identifier(archive.series)}
    assert set(delivered + rest) == {
        identifier(r)
        for r in (archive.fonds, archive.series, archive.file, archive.item)
    }


# from and until -------------------------------------------------------------------


@pytest.mark.django_db
def test_from_and_until_select_by_datestamp_at_both_granularities(oai, archive):
    early = Record.objects.get(pk=archive.fonds.pk)
    late = Record.objects.get(pk=archive.item.pk)
    Record.objects.filter(pk=early.pk).update(
        datestamp=datetime.datetime(2024, 3, 1, 8, 30, 15, 500000, tzinfo=datetime.UTC)
    )
    Record.objects.filter(pk=late.pk).update(
        datestamp=datetime.datetime(2024, 3, 2, 23, 59, 59, 900000, tzinfo=datetime.UTC)
    )
    Record.objects.exclude(pk__in=[early.pk, late.pk]).update(
        datestamp=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )

    def listed(**bounds):
        document = oai("ListIdentifiers", metadataPrefix="oai_dc", **bounds)
        if errors(document):
            return errors(document)
        return header_identifiers(document.find(f"{OAI}ListIdentifiers"))

    both = [identifier(early), identifier(late)]
    assert listed(from_="2024-03-01", until="2024-03-02") == both
    assert listed(from_="2024-03-01T08:30:15Z", until="2024-03-02T23:59:59Z") == both
    assert (
        listed(from_="2024-03-01T08:30:16Z", until="2024-03-03T00:00:00Z") == (both[1:])
    )
    assert listed(until="2024-03-01T08:30:15Z") == both[:1]
    assert listed(until="2024-03-01") == both[:1]
    assert listed(from_="2024-03-03", until="2024-12-31") == ["noRecordsMatch"]
    assert len(listed(from_="2024-03-01")) == 4
    assert listed(until="2024-02-29") == ["noRecordsMatch"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bounds",
    [
        {"from": "2024-02-30"},
        {"from": "2024-3-1"},
        {"until": "2024-03-01T08:30Z"},
        {"until": "2024-03-01T08:30:00"},
        {"until": "2024-03-01T08:30:00+08:00"},
        {"from": "yesterday"},
        {"from": "2024-03-02", "until": "2024-03-01"},
        {"from": "2024-03-01", "until": "2024-03-02T00:00:00Z"},
    ],
)
def test_bad_dates_are_bad_arguments(oai, archive, bounds):
    document = oai("ListRecords", metadataPrefix="oai_dc", **bounds)
    assert errors(document) == ["badArgument"]
    # After badArgument, <request> shows the base URL alone.
    assert request_attributes(document) == {}


# Resumption tokens ----------------------------------------------------------------


@pytest.fixture
def token_of_two_pages(oai, archive, settings):
    settings.OAI_IDENTIFIERS_PER_PAGE = 2
    document = oai("ListIdentifiers", metadataPrefix="oai_dc")
    return document.find(f"{OAI}ListIdentifiers/{OAI}resumptionToken").text


@pytest.mark.django_db
def test_a_token_altered_expired_or_of_another_list_is_refused(
    oai, token_of_two_pages, monkeypatch
):
    token = token_of_two_pages
    assert errors(oai("ListIdentifiers", resumptionToken=token)) == []
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    forged = signing.dumps([1, "ListIdentifiers", {}, ["z", "x", 0, 1], 0, 1])
    for bad in (altered, forged, "", "junk", "a:b:c", token + "\x00"):
        document = oai("ListIdentifiers", resumptionToken=bad)
        assert errors(document) == ["badResumptionToken"], bad
    assert errors(oai("ListRecords", resumptionToken=token)) == ["badResumptionToken"]
    assert errors(oai("ListSets", resumptionToken=token)) == ["badResumptionToken"]
    document = oai("ListIdentifiers", resumptionToken=altered)
    assert request_attributes(document) == {
        "verb": "ListIdentifiers",
        "resumptionToken": altered,
    }

    later = time.time() + tokens.lifetime().total_seconds() + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)
    expired = oai("ListIdentifiers", resumptionToken=token)
    assert errors(expired) == ["badResumptionToken"]
    assert "expired" in expired.findtext(f"{OAI}error")


@pytest.mark.django_db
def test_a_token_with_other_arguments_is_a_bad_argument(oai, token_of_two_pages):
    document = oai(
        "ListIdentifiers", resumptionToken=token_of_two_pages, metadataPrefix="oai_dc"
    )
    assert errors(document) == ["badArgument"]


# Errors ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"verb": "ListEverything"},
        {"verb": "identify"},
        {"verb": ["Identify", "Identify"]},
        {"metadataPrefix": "oai_dc"},
    ],
)
def test_bad_verbs(oai, params):
    document = oai.raw(params)
    assert errors(document) == ["badVerb"]
    assert request_attributes(document) == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"verb": "Identify", "identifier": "x"},
        {"verb": "ListRecords"},
        {"verb": "ListIdentifiers", "set": "120101"},
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "ead"]},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
        {"verb": "GetRecord", "identifier": "oai:x:1/2"},
        {"verb": "ListSets", "set": "120101"},
        {"verb": "ListMetadataFormats", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a::b"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "档案"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "x" * 3000},
    ],
)
def test_bad_arguments(oai, archive, params):
    document = oai.raw(params)
    assert errors(document) == ["badArgument"]
    assert request_attributes(document) == {}


@pytest.mark.django_db
def test_no_records_match(oai, archive):
    for params in (
        {"set": "999999"},
        {"set": "120101:J0999"},
        {"set": "120101:~ZZ"},
        {"from": "2999-01-01"},
    ):
        document = oai("ListRecords", metadataPrefix="oai_dc", **params)
        assert errors(document) == ["noRecordsMatch"], params
        assert request_attributes(document)["verb"] == "ListRecords"
    document = oai("ListRecords", metadataPrefix="oai_dc", set="120101:J0001")
    assert errors(document) == []


@pytest.mark.django_db
def test_post_is_answered_as_get(oai, archive):
    params = {"metadataPrefix": "oai_dc", "set": "120101"}
    by_get = oai("ListIdentifiers", **params)
    by_post = oai("ListIdentifiers", method="post", **params)
    assert etree.tostring(by_post.find(f"{OAI}ListIdentifiers")) == etree.tostring(
        by_get.find(f"{OAI}ListIdentifiers")
    )
    assert errors(oai.raw({"verb": "Identify"}, method="post")) == []


@pytest.mark.django_db
def test_any_input_gets_a_valid_response(oai, archive):
    """Arguments made of the protocol's words and of rubbish, at random: every
    answer is a 200 that validates, never a server error."""
    rng = random.Random(1966)  # noqa: S311 (made-up input)
    verbs = ["Identify", "ListSets", "GetRecord", "ListRecords", "ListIdentifiers"]
    names = ["metadataPrefix", "identifier", "from", "until", "set", "resumptionToken"]
    values = [
        "oai_dc",
        "ead",
        identifier(archive.item),
        f"oai:{HOST}:120101/J0001-%zz",
        f"oai:{HOST}:%E6%BB%A8/%FF%FE",
        "oai:x:1/[]",
        "2024-01-01",
        "2024-01-01T00:00:00Z",
        "9999-12-31",
        "0000-01-01",
        "120101",
        "120101:J0001",
        "~",
        "<&>\"'",
        "\u0000\u0001",
        "档案",
        "a" * 300,
    ]
    for _ in range(150):
        params = {"verb": rng.choice([*verbs, "ListMetadataFormats", "x"])}
        for name in rng.sample(names, rng.randint(0, 3)):
            params[name] = rng.choice(values)
        oai.raw(params, method=rng.choice(["get", "post"]))


@pytest.mark.django_db
def test_other_methods_are_not_allowed(client):
    assert client.put("/oai?verb=Identify").status_code == 405
    assert client.head("/oai?verb=Identify").status_code == 200


# Datestamps -----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_edit_in_the_admin_moves_the_datestamp(archive):
    item = Record.objects.get(pk=archive.item.pk)
    before = item.datestamp
    item.scope_and_content = "补充说明。"
    item.save()
    assert Record.objects.get(pk=item.pk).datestamp > before
    unchanged = Record.objects.get(pk=archive.file.pk).datestamp
    assert unchanged < Record.objects.get(pk=item.pk).datestamp


@pytest.mark.django_db
def test_a_change_below_a_fonds_moves_the_datestamps_of_its_finding_aids(oai, archive):
    """The ead of a fonds or a series is its public subtree: what changes
    below it, and a harvester may see, changes its finding aid."""
    other = FondsFactory(repository=archive.repository, reference_code="J0002")
    other_item = ItemFactory(
        parent=SeriesFactory(parent=other, reference_code="J0002-001"),
        reference_code="J0002-001-0001",
    )
    closed = ItemFactory(
        parent=archive.file,
        reference_code="J0001-001-0001-0002",
        access_status="closed",
    )
    finding_aids = {identifier(archive.fonds), identifier(archive.series)}

    def ead_since(moment):
        asked = {"metadataPrefix": "ead", "from_": utc_seconds(moment)}
        if errors(oai("ListIdentifiers", **asked)) == ["noRecordsMatch"]:
            return set()
        items, _ = oai.list("ListIdentifiers", **asked)
        return set(header_identifiers(items))

    # Nothing public changes when a closed record is edited.
    started = an_hour_ago()
    closed.scope_and_content = MARKER
    closed.save()
    assert ead_since(started) == set()
    assert ead_since(started - datetime.timedelta(hours=2)) == finding_aids | {
        identifier(other),
        identifier(Record.objects.get(reference_code="J0002-001")),
    }
    assert not oai.seen(MARKER)

    for change in ("edited", "withdrawn", "deleted"):
        started = an_hour_ago()
        item = Record.objects.get(reference_code="J0001-001-0001-0001")
        if change == "edited":
            item.scope_and_content = "补充说明。"
            item.save()
        elif change == "withdrawn":
            withdraw(item)
        else:
            item.delete()
        assert ead_since(started) == finding_aids, change
        # The file above it has no finding aid of its own, the other fonds
        # is untouched.
        assert Record.objects.get(pk=archive.file.pk).datestamp < started
        assert Record.objects.get(pk=other.pk).datestamp < started
        if change == "withdrawn":
            restored = Record.objects.get(pk=item.pk)
            restored.withdrawn = False
            restored.save()

    started = an_hour_ago()
    report = import_records(
        [row("J0002-001-0001", "item", "J0002-001", title="新题名")],
        archive.repository,
    )
    assert report.committed, report.lines()
    assert ead_since(started) == {
        identifier(other),
        identifier(Record.objects.get(reference_code="J0002-001")),
    }
    assert Record.objects.get(pk=other_item.pk).datestamp >= started
    assert Record.objects.get(pk=archive.fonds.pk).datestamp < started


@pytest.mark.django_db
def test_a_record_opening_tomorrow_is_harvested_once_it_opens(
    oai, archive, monkeypatch
):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    waiting = ItemFactory(
        parent=archive.file, opening_date=tomorrow, reference_code="J0001-001-0001-0002"
    )
    opening = datestamps.opens_at(tomorrow)
    assert Record.objects.get(pk=waiting.pk).datestamp == opening

    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    now, _ = oai.list("ListIdentifiers", metadataPrefix="oai_dc", from_=yesterday)
    assert identifier(waiting) not in header_identifiers(now)
    assert identifier(archive.item) in header_identifiers(now)

    # The next morning, nobody having written anything.
    morning = opening + datetime.timedelta(hours=7)
    monkeypatch.setattr(timezone, "now", lambda: morning)
    then, _ = oai.list(
        "ListIdentifiers", metadataPrefix="oai_dc", from_=today.isoformat()
    )
    assert identifier(waiting) in live_identifiers(then)
    stamp = datestamp_of(then[header_identifiers(then).index(identifier(waiting))])
    assert stamp >= opening.replace(microsecond=0)
    # A harvest of the day before the opening, done after it, has it too.
    since = utc_seconds(opening - datetime.timedelta(hours=1))
    late, _ = oai.list("ListIdentifiers", metadataPrefix="oai_dc", from_=since)
    assert header_identifiers(late) == [identifier(waiting)]


@pytest.mark.django_db
def test_a_parent_opening_later_stamps_its_subtree_with_its_opening(archive):
    later = timezone.localdate() + datetime.timedelta(days=30)
    series = Record.objects.get(pk=archive.series.pk)
    series.opening_date = later
    series.save()
    below = Record.objects.subtree(series)
    assert {r.datestamp for r in below} == {datestamps.opens_at(later)}
    assert Record.objects.get(pk=archive.fonds.pk).datestamp < datestamps.opens_at(
        later
    )


# Deleted records ------------------------------------------------------------------


def harvest_since(oai, moment, **params):
    items, _ = oai.list(
        "ListIdentifiers", metadataPrefix="oai_dc", from_=utc_seconds(moment), **params
    )
    return items


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    ["withdrawn", "closed", "controlled", "opening later", "moved below closed"],
)
def test_a_record_that_leaves_the_public_is_reported_deleted(
    oai, catalogue, archive, change
):
    sibling = ItemFactory(parent=archive.file, reference_code="J0001-001-0001-0002")
    closed_file = FileFactory(
        parent=archive.series, reference_code="J0001-001-0009", access_status="closed"
    )
    started = an_hour_ago()
    item = Record.objects.get(pk=archive.item.pk)
    if change == "withdrawn":
        item.withdrawn = True
    elif change == "closed":
        item.access_status = AccessStatus.CLOSED
    elif change == "controlled":
        item.access_status = AccessStatus.CONTROLLED
    elif change == "opening later":
        item.opening_date = timezone.localdate() + datetime.timedelta(days=3)
    else:
        item.parent = closed_file
    item.title = MARKER
    item.save()

    since = harvest_since(oai, started)
    assert deleted_identifiers(since) == {identifier(archive.item)}
    deleted = since[header_identifiers(since).index(identifier(archive.item))]
    assert datestamp_of(deleted) >= started
    # The sets it was in, not those of where it went.
    assert [s.text for s in deleted.findall(f"{OAI}setSpec")] == [
        "120101",
        "120101:J0001",
    ]
    record = oai(
        "GetRecord", identifier=identifier(archive.item), metadataPrefix="oai_dc"
    )
    header = record.find(f"{OAI}GetRecord/{OAI}record/{OAI}header")
    assert header.get("status") == "deleted"
    assert record.find(f"{OAI}GetRecord/{OAI}record/{OAI}metadata") is None
    # Reported from then on, in full harvests too; never its description.
    everything, _ = oai.list("ListRecords", metadataPrefix="oai_dc")
    assert deleted_identifiers(everything) == {identifier(archive.item)}
    assert identifier(sibling) in live_identifiers(everything)
    assert not oai.seen(MARKER)
    for its_own in ("Petition on the wharf extension works", "海关向市政府呈报"):
        assert not oai.seen(its_own)
    assert oai.seen(sibling.title)


@pytest.mark.django_db
def test_a_withdrawn_file_reports_its_whole_public_subtree_deleted(oai, archive):
    closed_item = ItemFactory(
        parent=archive.file, access_status=AccessStatus.CLOSED, title=MARKER
    )
    started = an_hour_ago()
    withdraw(archive.file)

    since = harvest_since(oai, started)
    assert deleted_identifiers(since) == {
        identifier(archive.file),
        identifier(archive.item),
    }
    assert identifier(closed_item) not in header_identifiers(since)
    # The finding aids above it lost it.
    assert live_identifiers(since) == {
        identifier(archive.fonds),
        identifier(archive.series),
    }
    series_set, _ = oai.list(
        "ListIdentifiers", metadataPrefix="oai_dc", set="120101:J0001"
    )
    assert deleted_identifiers(series_set) == {
        identifier(archive.file),
        identifier(archive.item),
    }
    assert live_identifiers(series_set) == {
        identifier(archive.fonds),
        identifier(archive.series),
    }
    ead, _ = oai.list("ListIdentifiers", metadataPrefix="ead")
    assert deleted_identifiers(ead) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [31, 32])
def test_tombstones_are_exactly_the_records_that_were_public_and_are_not(seed):
    """Random edits through the admin's save(): after each, a record has a
    tombstone if and only if it was public at some point and is not now."""
    rng, records = generate_tree(seed, size=70)
    today = timezone.localdate()
    ever_public = set(Record.objects.public(today).values_list("pk", flat=True))
    for _ in range(60):
        record = Record.objects.get(pk=rng.choice(records).pk)
        change = rng.choice(["status", "withdraw", "opening", "move", "edit"])
        if change == "status":
            record.access_status = rng.choice(list(AccessStatus))
        elif change == "withdraw":
            record.withdrawn = not record.withdrawn
        elif change == "opening":
            record.opening_date = today + datetime.timedelta(days=rng.randint(-9, 9))
        elif change == "move":
            candidates = [
                r
                for r in Record.objects.exclude(level="item")
                if not r.is_within(record)
            ]
            record.parent = rng.choice(candidates) if candidates else None
        else:
            record.notes = f"第{rng.randint(1, 99)}次修改"
        record.save()
        public = set(Record.objects.public(today).values_list("pk", flat=True))
        ever_public |= public
        buried = set(Tombstone.objects.values_list("record_id", flat=True))
        assert buried == ever_public - public, change
    assert ever_public - public, "no record left the public: the test proves nothing"


@pytest.mark.django_db
def test_a_record_that_never_was_public_is_never_mentioned(oai, archive):
    started = an_hour_ago()
    withdrawn_file = withdraw(archive.file)
    # Added below the withdrawn file: never public.
    newcomer = ItemFactory(parent=withdrawn_file, reference_code="J0001-001-0001-0077")
    closed = ItemFactory(parent=archive.series, access_status="closed")
    closed.title = "开放了"
    closed.access_status = AccessStatus.CONTROLLED
    closed.save()
    Record.objects.get(pk=newcomer.pk).delete()
    Record.objects.get(pk=closed.pk).delete()

    since = harvest_since(oai, started)
    named = set(header_identifiers(since))
    assert identifier(newcomer) not in named and identifier(closed) not in named
    assert identifier(archive.item) in named  # the control: it was public
    assert not Tombstone.objects.filter(
        reference_code__in=[newcomer.reference_code, closed.reference_code]
    ).exists()


@pytest.mark.django_db
def test_a_record_public_again_is_listed_normally_again(oai, archive):
    item = withdraw(archive.item)
    assert (
        oai("GetRecord", identifier=identifier(item), metadataPrefix="oai_dc")
        .find(f".//{OAI}header")
        .get("status")
        == "deleted"
    )
    restored_at = an_hour_ago()
    item.withdrawn = False
    item.save()

    since = harvest_since(oai, restored_at)
    assert live_identifiers(since) == {
        identifier(r) for r in (item, archive.fonds, archive.series)
    }
    assert deleted_identifiers(since) == set()
    everything, _ = oai.list("ListIdentifiers", metadataPrefix="oai_dc")
    assert deleted_identifiers(everything) == set()
    assert not Tombstone.objects.exists()


@pytest.mark.django_db
def test_a_record_whose_opening_moved_later_comes_back_on_that_day(
    oai, archive, monkeypatch
):
    item = Record.objects.get(pk=archive.item.pk)
    later = timezone.localdate() + datetime.timedelta(days=2)
    item.opening_date = later
    item.save()
    assert deleted_identifiers(oai.list("ListIdentifiers", metadataPrefix="oai_dc")[0])

    opened = datestamps.opens_at(later) + datetime.timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: opened)
    items, _ = oai.list("ListIdentifiers", metadataPrefix="oai_dc")
    assert identifier(item) in live_identifiers(items)
    assert deleted_identifiers(items) == set()


@pytest.mark.django_db
def test_a_deleted_record_is_reported_deleted(oai, archive):
    started = an_hour_ago()
    Record.objects.get(pk=archive.item.pk).delete()
    assert deleted_identifiers(harvest_since(oai, started)) == {
        identifier(archive.item)
    }
    formats = oai("ListMetadataFormats", identifier=identifier(archive.item))
    assert prefixes(formats) == ["oai_dc"]


@pytest.mark.django_db
def test_a_renamed_record_leaves_its_old_identifier_deleted(oai, archive):
    started = an_hour_ago()
    old = identifier(archive.item)
    item = Record.objects.get(pk=archive.item.pk)
    item.reference_code = "J0001-001-0001-0100"
    item.save()
    since = harvest_since(oai, started)
    assert deleted_identifiers(since) == {old}
    assert live_identifiers(since) == {
        identifier(r) for r in (item, archive.fonds, archive.series)
    }


# Imports --------------------------------------------------------------------------


def row(code, level, parent="", **fields):
    fields.setdefault("access_status", "open")
    return RecordRow(
        location="目录.csv",
        reference_code=code,
        parent_reference=parent,
        level=level,
        title=fields.pop("title", "关于码头扩建工程的呈文"),
        **fields,
    )


@pytest.mark.django_db
def test_imports_stamp_what_they_write_and_bury_what_they_close(oai, archive):
    started = an_hour_ago()
    later = timezone.localdate() + datetime.timedelta(days=10)
    report = import_records(
        [
            row(
                "J0001-001-0001", "file", "J0001-001", title="码头扩建工程文件（修订）"
            ),
            row(
                "J0001-001-0001-0001", "item", "J0001-001-0001", access_status="closed"
            ),
            row("J0001-001-0001-0002", "item", "J0001-001-0001", title="新件"),
            row("J0001-001-0001-0003", "item", "J0001-001-0001", opening_date=later),
        ],
        archive.repository,
    )
    assert report.committed, report.lines()

    since = harvest_since(oai, started)
    added = Record.objects.get(reference_code="J0001-001-0001-0002")
    # The fonds and the series above: their finding aids changed.
    assert live_identifiers(since) == {
        identifier(r) for r in (archive.fonds, archive.series, archive.file, added)
    }
    assert deleted_identifiers(since) == {identifier(archive.item)}
    waiting = Record.objects.get(reference_code="J0001-001-0001-0003")
    assert waiting.datestamp == datestamps.opens_at(later)


@pytest.mark.django_db
def test_an_import_that_moves_an_opening_later_buries_the_subtree(oai, archive):
    started = an_hour_ago()
    later = timezone.localdate() + datetime.timedelta(days=10)
    report = import_records(
        [row("J0001-001", "series", "J0001", title="文书档案", opening_date=later)],
        archive.repository,
    )
    assert report.committed, report.lines()
    since = harvest_since(oai, started)
    assert deleted_identifiers(since) == {
        identifier(r) for r in (archive.series, archive.file, archive.item)
    }
    assert {r.datestamp for r in Record.objects.subtree(archive.series)} == {
        datestamps.opens_at(later)
    }


# A real harvester over HTTP -------------------------------------------------------


class CheckedSickle(Sickle):
    """sickle as it is, each HTTP response it receives checked against the
    schema and kept (to count the parts of a list)."""

    def __init__(self, url, schema, **kwargs):
        super().__init__(url, **kwargs)
        self.schema = schema
        self.received = []

    def harvest(self, **kwargs):
        response = super().harvest(**kwargs)
        http = response.http_response
        assert http.status_code == 200, kwargs
        assert http.headers["Content-Type"] == "text/xml; charset=utf-8"
        document = etree.fromstring(http.content)
        if not self.schema.validate(document):
            pytest.fail(f"invalid: {self.schema.error_log}\n{http.text[:4000]}")
        self.received.append(kwargs)
        return response


@pytest.mark.django_db(transaction=True)
def test_sickle_harvests_completely_while_a_record_is_withdrawn(
    live_server, settings, oai_schema
):
    settings.OAI_RECORDS_PER_PAGE = 3
    settings.OAI_IDENTIFIERS_PER_PAGE = 4
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    host = identifiers.host()
    fonds = FondsFactory(reference_code="J0001", title="滨江海关")
    series = SeriesFactory(parent=fonds, reference_code="J0001-001")
    file = FileFactory(parent=series, reference_code="J0001-001-0001")
    items = [
        ItemFactory(
            parent=file, reference_code=f"J0001-001-0001-{n:04d}", title=f"第{n}件"
        )
        for n in range(1, 9)
    ]
    closed = ItemFactory(parent=file, access_status="closed", title=MARKER)
    target = items[-1]
    code = fonds.repository.code

    def oai_id(record):
        return f"oai:{host}:{code}/{record.reference_code}"

    sickle = CheckedSickle(live_server.url + "/oai", oai_schema)
    started = an_hour_ago()
    harvested = []
    for n, record in enumerate(
        sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False)
    ):
        harvested.append(record)
        if n == 0:
            # The first page is in; the target is on the last one.
            withdraw(target)
    # 11 items, 3 a response: the harvest went through its resumption tokens.
    assert len(sickle.received) == 4
    assert all("resumptionToken" in params for params in sickle.received[1:])

    by_identifier = {}
    for record in harvested:
        by_identifier.setdefault(record.header.identifier, []).append(record)
    public = [fonds, series, file, *items[:-1]]
    assert {oai_id(r) for r in public} <= set(by_identifier)
    assert all(not r.deleted for r in public for r in by_identifier[oai_id(r)])
    assert [r.deleted for r in by_identifier[oai_id(target)]] == [True]
    assert oai_id(closed) not in by_identifier
    raw = "".join(record.raw for record in harvested)
    assert target.title not in raw and MARKER not in raw
    assert items[0].title in raw
    assert by_identifier[oai_id(items[0])][0].metadata["title"] == [items[0].title]

    incremental = list(
        sickle.ListIdentifiers(
            metadataPrefix="oai_dc",
            ignore_deleted=False,
            **{"from": utc_seconds(started)},
        )
    )
    # The withdrawn item, and the finding aids above it, which lost it.
    assert {(h.identifier, h.deleted) for h in incremental} == {
        (oai_id(target), True),
        (oai_id(fonds), False),
        (oai_id(series), False),
    }
    deleted = next(h for h in incremental if h.deleted)
    assert deleted.setSpecs == [code, f"{code}:J0001"]

    sets = {s.setSpec: s.setName for s in sickle.ListSets()}
    assert sets == {
        code: fonds.repository.name + " / " + fonds.repository.name_en,
        f"{code}:J0001": "滨江海关",
    }
    got = sickle.GetRecord(identifier=oai_id(items[1]), metadataPrefix="oai_dc")
    assert got.metadata["title"] == [items[1].title]
    headers = list(sickle.ListIdentifiers(metadataPrefix="ead"))
    assert [h.identifier for h in headers] == [oai_id(fonds), oai_id(series)]
    posted = CheckedSickle(live_server.url + "/oai", oai_schema, http_method="POST")
    listed = list(posted.ListIdentifiers(metadataPrefix="oai_dc"))
    assert [h.identifier for h in listed if h.deleted] == [oai_id(target)]
    assert len(listed) == 11


# The data migration ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_stamps_records_and_buries_logged_withdrawals(archive):
    import importlib

    from django.apps import apps

    from catalogue.audit import log_withdrawal

    migration = importlib.import_module("catalogue.migrations.0010_harvesting")
    waiting = ItemFactory(
        parent=archive.series, opening_date=timezone.localdate() + datetime.timedelta(5)
    )
    file = Record.objects.get(pk=archive.file.pk)
    file.withdrawn = True
    file.save()
    log_withdrawal(file, hidden=2)
    newcomer = ItemFactory(parent=file)  # added after: never public
    Tombstone.objects.all().delete()
    Record.objects.update(datestamp=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))

    migration.stamp_existing_records(apps, None)
    migration.bury_withdrawn_records(apps, None)

    fonds = Record.objects.get(pk=archive.fonds.pk)
    assert fonds.datestamp == fonds.updated_at
    assert Record.objects.get(pk=waiting.pk).datestamp == datestamps.opens_at(
        waiting.opening_date
    )
    assert set(Tombstone.objects.values_list("reference_code", flat=True)) == {
        archive.file.reference_code,
        archive.item.reference_code,
    }
    assert newcomer.reference_code not in set(
        Tombstone.objects.values_list("reference_code", flat=True)
    )
