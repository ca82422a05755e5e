"""The demo catalogue reads like a real archive's (issue 13): each record's
text is written for it, dated as it is, in files about one thing; its scans
look like scans; English researchers find English records; and the pictures
of the exhibitions are credited as illustrations, never as holdings."""

import csv
import datetime
import re
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command

from exhibitions.templatetags.exhibition_tags import era_year
from portal.demo import catalogue, fonts, writing
from portal.demo import exhibitions as curated
from tests import demo_support

demo_bundle = demo_support.demo_bundle
demo = demo_support.demo


@pytest.fixture(scope="module")
def rows(demo_bundle):
    """Every row of the bundle's CSV files, with its OCR text read in."""
    found = {}
    for code, *_names in catalogue.REPOSITORIES:
        root = demo_bundle / code
        with (root / "catalogue.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                pages = [p for p in row["全文"].split("|") if p]
                row["text"] = "\n".join(
                    (root / page).read_text(encoding="utf-8") for page in pages
                )
                row["scans"] = [root / p for p in row["数字化文件"].split("|") if p]
                found[row["档号"]] = row
    return found


def source():
    """The text of portal/demo/exhibitions.py, where the pages are written."""
    with open(curated.__file__, encoding="utf-8") as handle:
        return handle.read()


def items(rows):
    return [row for row in rows.values() if row["层级"] == "件"]


def test_every_record_has_a_text_of_its_own(rows):
    texts = [row["text"] for row in items(rows) if row["text"]]
    assert len(texts) > 100
    assert len(set(texts)) == len(texts)
    # …and each says who wrote it.
    for row in items(rows):
        if row["text"] and row["语言"] != "eng":
            assert row["责任者"] in row["text"], row["档号"]


def test_a_text_is_signed_on_the_records_date(rows):
    checked = Counter()
    for row in items(rows):
        if not row["text"]:
            continue
        if row["语言"] == "eng":
            date = datetime.date.fromisoformat(row["日期"])
            assert writing.english_date(date) in row["text"], row["档号"]
            checked["eng"] += 1
        elif len(row["日期"]) == 4:  # Qing: the reign year; the catalogue the year
            assert era_year(int(row["日期"])) in row["text"], row["档号"]
            checked["qing"] += 1
        else:
            date = datetime.date.fromisoformat(row["日期"])
            written = writing.chinese_date(date)
            assert written in row["text"], (row["档号"], written)
            # No other date of that form in it: one document, one date.
            others = set(re.findall(r"中华民国\S+?年\S+?月\S+?日", row["text"]))
            assert others <= {written}, (row["档号"], others)
            checked["chi"] += 1
    assert min(checked.values()) > 0 and len(checked) == 3, checked


def test_the_anchor_of_1933_is_a_reply_of_that_day(rows):
    row = rows["J0001-002-0001-0005"]
    assert row["日期"] == "1933-04-18"
    assert row["题名"] == "滨江海关关于西沽码头修建工程的批复"
    assert "中华民国二十二年四月十八日" in row["text"]
    assert row["text"].startswith("批")
    assert row["开放标识"] == "开放" and row["scans"]


def test_kinds_of_document_are_written_as_such(rows):
    kinds = Counter()
    for row in items(rows):
        kind = row["主题词"].split("|")[-1]
        kinds[kind] += 1
        if not row["text"]:
            continue
        if kind == "合同":
            assert "立合同人" in row["text"], row["档号"]
        if kind == "呈文" and row["日期"] < "1949":
            assert "呈" in row["text"].split("\n")[0], row["档号"]
        if kind == "Despatch":
            assert "I have the honour to be," in row["text"], row["档号"]
    assert {"呈文", "报告", "批复", "函", "合同", "Despatch"} <= set(kinds)


def test_a_file_holds_items_about_its_subject(rows):
    children = defaultdict(list)
    for row in items(rows):
        children[row["档号"].rsplit("-", 1)[0]].append(row)
    for reference, kids in children.items():
        subject = rows[reference]["主题词"]
        assert subject, reference
        for kid in kids:
            assert kid["主题词"].split("|")[0] == subject, kid["档号"]
    wharf = children["J0001-002-0001"]
    assert rows["J0001-002-0001"]["主题词"] == "码头"
    assert all("码头" in kid["题名"] for kid in wharf)
    # One file of thousands, as a customs house keeps its declarations.
    assert max(len(kids) for kids in children.values()) >= 1000


def test_scans_look_like_scans(rows):
    from PIL import Image, ImageStat

    scanned = [row for row in items(rows) if row["scans"]]
    assert len(scanned) > 100
    layouts = Counter()
    for row in scanned[::15]:
        with Image.open(row["scans"][0]) as image:
            assert image.size == (1040, 1450)
            red, green, blue = ImageStat.Stat(image.convert("RGB")).mean
            # Paper toned by age, not white: warmer than it is blue.
            assert red > blue + 8 and 120 < red < 245, row["档号"]
        layouts[row["日期"][:4] < "1949"] += 1
    assert layouts[True] and layouts[False]


def test_every_character_of_the_scans_is_in_a_face(rows):
    """Drawn as the character, never as an empty box, on any machine."""
    assert fonts.has_kai()
    characters = {char for row in items(rows) for char in row["text"]}
    missing = {
        char
        for char in characters
        if not char.isascii() and not char.isspace() and fonts.kai_file(char) is None
    }
    assert not missing, "".join(sorted(missing))


def test_records_the_pages_cite_are_open_anchors(rows):
    cited = set()
    for *_fields, codes, _query, _filters, _zh, _en in curated.COLLECTIONS:
        cited |= set(codes)
    for event in curated.CHRONICLE:
        cited |= set(event[9])
    cited |= set(re.findall(r"@record:([A-Z0-9-]+)", source()))
    assert len(cited) >= 15
    for reference in cited:
        row = rows[reference]
        assert row["开放标识"] == "开放" and not row["开放日期"], reference
        assert row["scans"], reference


def test_illustrations_are_credited_as_illustrations():
    # Every painted picture is credited in both languages, never as holdings;
    # setup_demo marks each as an illustration (labelled 示意图 / Illustration).
    for key, (*_spec, (credit, credit_en), _focal) in curated.IMAGES.items():
        assert credit and credit_en and "馆藏" not in credit, key
    credits = re.findall(r'"credit": "([^"]*)"', source())
    assert credits
    for credit in credits:
        assert "馆藏" not in credit and not re.match(r"[JX]\d{4}", credit), credit
    assert credits.count("示意图") >= 3 and credits.count("Illustration") >= 3


def test_each_exhibition_and_collection_leads_with_its_own_picture():
    heroes = [spec[1] for spec in curated.EXHIBITIONS + curated.COLLECTIONS]
    painters = [curated.IMAGES[hero][0] for hero in heroes]
    assert len(set(heroes)) == len(heroes)
    assert len(set(painters)) == len(painters), painters


def text_of(response):
    """The page's words, without the marks that highlight the search words."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


def test_an_english_search_for_tax_finds_records(client, demo, search_engine):
    call_command("search_index", "rebuild", verbosity=0)
    response = client.get("/en/search/", {"q": "tax"})
    assert response.status_code == 200
    html = text_of(response)
    assert "Despatch to the Inspector General on the new tax on cigarettes" in html
    # A closed record of the English series is never found; its open
    # neighbour is.
    response = client.get("/en/search/", {"q": "trade"})
    assert response.status_code == 200
    html = text_of(response)
    assert "Memorandum on the trade of the port for the year 1903" in html
    assert "effects of the new railway on trade" not in html
