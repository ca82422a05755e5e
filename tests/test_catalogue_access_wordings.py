"""Real-world access wordings, Chinese and English, through every reader.

Each wording is written into a one-record catalogue in each format the portal
reads (our template CSV, AtoM CSV, Excel, EAD 2002, EAD3) and imported; every
reader must reach the same decision. Deny by default: what is not known to
mean open never reaches the database.
"""

import datetime
import html

import pytest
from django.utils import translation
from openpyxl import Workbook

from catalogue.importers.base import import_records
from catalogue.importers.csv import read_csv
from catalogue.importers.ead import read_ead
from catalogue.importers.xlsx import read_xlsx
from catalogue.models import AccessWording, Record
from tests.factories import RepositoryFactory

D = datetime.date
OPEN, CLOSED, CONTROLLED, REVIEW = "open", "closed", "controlled", "review"

WORDINGS = [
    # Known to mean open.
    ("开放", OPEN),
    ("开放。", OPEN),
    ("公开", OPEN),
    ("已开放", OPEN),
    ("向社会开放", OPEN),
    ("本全宗档案全部开放", OPEN),
    ("无限制", OPEN),
    ("不受限制", OPEN),
    ("Open", OPEN),
    ("OPEN", OPEN),
    ("Open for research.", OPEN),
    ("This collection is open for research.", OPEN),
    ("The collection is open for research use.", OPEN),
    ("Collection is open for research.", OPEN),
    ("Open to the public.", OPEN),
    ("The records are open to the public.", OPEN),
    ("Open to researchers.", OPEN),
    ("Open to researchers without restrictions.", OPEN),
    ("Open for research without restrictions.", OPEN),
    ("No restrictions.", OPEN),
    ("There are no restrictions on access.", OPEN),
    ("Unrestricted", OPEN),
    ("Unrestricted access.", OPEN),
    # Open from a day: kept, not public until then.
    ("2099年1月1日起开放", (OPEN, D(2099, 1, 1))),
    ("2031年以后开放", (OPEN, D(2031, 1, 1))),
    ("封存至2050年", (OPEN, D(2050, 1, 1))),
    ("Closed until 2030-01-01", (OPEN, D(2030, 1, 1))),
    ("Embargoed until 2099-01-01", (OPEN, D(2099, 1, 1))),
    ("Available after 2099", (OPEN, D(2100, 1, 1))),
    ("Open to the public from 2032-06-01.", (OPEN, D(2032, 6, 1))),
    ("Closed until January 1, 2040.", (OPEN, D(2040, 1, 1))),
    # Closed.
    ("机密", CLOSED),
    ("绝密", CLOSED),
    ("秘密", CLOSED),
    ("涉密", CLOSED),
    ("封存", CLOSED),
    ("不予开放", CLOSED),
    ("暂缓开放", CLOSED),
    ("不开放", CLOSED),
    ("未开放", CLOSED),
    ("涉及个人隐私，不开放", CLOSED),
    ("Sealed", CLOSED),
    ("Secret", CLOSED),
    ("Top secret", CLOSED),
    ("Confidential", CLOSED),
    ("Withheld", CLOSED),
    ("Private", CLOSED),
    ("Closed", CLOSED),
    ("Closed to the public", CLOSED),
    ("Not available to the public", CLOSED),
    ("Closed until further notice.", CLOSED),
    ("Closed to the public; open to researchers with permission", CLOSED),
    # Controlled: restricted in some way.
    ("控制使用", CONTROLLED),
    ("内部使用", CONTROLLED),
    ("仅限内部查阅", CONTROLLED),
    ("限制利用", CONTROLLED),
    ("部分开放", CONTROLLED),
    ("Restricted", CONTROLLED),
    ("Access by permission only", CONTROLLED),
    ("Access by written permission of the depositor only", CONTROLLED),
    ("Restricted until the death of the donor.", CONTROLLED),
    ("Download Access Restricted to BHL Reading Room", CONTROLLED),
    ("Restricted: personnel records, closed until 2040", CONTROLLED),
    (
        "Items in this collection do not circulate and may be used in-house only.",
        CONTROLLED,
    ),
    # Unknown, ambiguous or mixed: not open, listed for review.
    ("", REVIEW),
    ("待定", REVIEW),
    ("形成满三十年后开放", REVIEW),
    ("开放（部分）", REVIEW),
    ("By appointment", REVIEW),
    ("Open to researchers by appointment.", REVIEW),
    ("Open, except files 3-5", REVIEW),
    ("Digital content. Copies of digital files are available upon request.", REVIEW),
    ("Example fonds Conditions governing access (ISAD, 3.4.1)", REVIEW),
    (
        "The images, apart from restricted files in Series 2, are open for "
        "research use.",
        REVIEW,
    ),
    (
        "Open for research. Student coursework is restricted until 2044 or 75 "
        "years from the date of creation.",
        REVIEW,
    ),
]


def template_csv(tmp_path, words, classification=""):
    path = tmp_path / "目录.csv"
    quoted = words.replace('"', '""')
    path.write_text(
        "档号,层级,题名,密级,开放标识\n"
        f'J0001,全宗,滨江海关,{classification},"{quoted}"\n',
        encoding="utf-8",
    )
    return read_csv(path)


def atom_csv(tmp_path, words):
    path = tmp_path / "atom.csv"
    quoted = words.replace('"', '""')
    path.write_text(
        "legacyId,identifier,title,levelOfDescription,accessConditions,culture\n"
        f'1,J0001,滨江海关,Fonds,"{quoted}",zh\n',
        encoding="utf-8",
    )
    return read_csv(path)


def excel(tmp_path, words):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["滨江市档案馆 文书档案目录"])
    sheet.append([])
    sheet.append(["档号", "层级", "题名", "开放标识"])
    sheet.append(["J0001", "全宗", "滨江海关", words or None])
    path = tmp_path / "目录.xlsx"
    workbook.save(path)
    return read_xlsx(path)


def _ead(tmp_path, root, words, name):
    statement = (
        f"<accessrestrict><head>Conditions Governing Access</head>"
        f"<p>{html.escape(words)}</p></accessrestrict>"
        if words
        else ""
    )
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n{root}\n'
        '<archdesc level="fonds"><did><unitid>J0001</unitid>'
        f"<unittitle>滨江海关</unittitle></did>{statement}</archdesc></ead>\n",
        encoding="utf-8",
    )
    return read_ead(path)


def ead2002(tmp_path, words):
    root = (
        '<ead xmlns="urn:isbn:1-931666-22-9"><eadheader><eadid>x</eadid>'
        "<filedesc><titlestmt><titleproper>目录</titleproper></titlestmt>"
        "</filedesc></eadheader>"
    )
    return _ead(tmp_path, root, words, "ead2002.xml")


def ead3(tmp_path, words):
    root = (
        '<ead xmlns="http://ead3.archivists.org/schema/"><control><recordid>x'
        "</recordid><filedesc><titlestmt><titleproper>目录</titleproper>"
        "</titlestmt></filedesc></control>"
    )
    return _ead(tmp_path, root, words, "ead3.xml")


READERS = [template_csv, atom_csv, excel, ead2002, ead3]


def outcome(rows, repository):
    with translation.override("en"):
        report = import_records(rows, repository)
        assert report.ok, report.lines()
        record = Record.objects.filter(repository=repository).first()
        if record is not None:
            assert record.access_status == "open"
            return (OPEN, record.opening_date) if record.opening_date else OPEN
        if report.review_count:
            return REVIEW
        [reason] = report.skipped
        return CONTROLLED if "Controlled" in reason else CLOSED


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
@pytest.mark.parametrize(("words", "expected"), WORDINGS)
def test_every_reader_decides_each_wording_alike(db, tmp_path, reader, words, expected):
    repository = RepositoryFactory()
    assert outcome(reader(tmp_path, words), repository) == expected


def test_the_table_holds_enough_real_wordings():
    assert len(WORDINGS) >= 60
    assert {
        expected if isinstance(expected, str) else OPEN for _w, expected in WORDINGS
    } == {
        OPEN,
        CLOSED,
        CONTROLLED,
        REVIEW,
    }


@pytest.mark.parametrize("level", ["绝密", "机密", "秘密", "内部"])
def test_a_security_classification_closes_an_open_row(db, tmp_path, level):
    repository = RepositoryFactory()
    with translation.override("en"):
        report = import_records(template_csv(tmp_path, "开放", level), repository)
    assert report.ok and report.created == 0
    assert not Record.objects.filter(repository=repository).exists()
    # The same row without a 密级 is imported: the classification decided it.
    again = import_records(template_csv(tmp_path, "开放", "公开"), repository)
    assert again.created == 1


def test_an_archive_decides_a_wording_and_imports_again(db, tmp_path):
    repository = RepositoryFactory()
    words = "Open to researchers by appointment."
    first = import_records(ead2002(tmp_path, words), repository)
    assert first.review_count == 1 and first.review[0].words == words
    assert not Record.objects.filter(repository=repository).exists()

    AccessWording.objects.create(repository=repository, wording=words, meaning="open")
    second = import_records(ead2002(tmp_path, words), repository)

    assert second.created == 1
    assert Record.objects.public().filter(reference_code="J0001").exists()
    # Another archive's table is its own.
    other = RepositoryFactory()
    third = import_records(ead2002(tmp_path, words), other)
    assert third.review_count == 1 and third.created == 0


def test_no_table_can_make_a_security_classification_open(db, tmp_path):
    repository = RepositoryFactory()
    AccessWording.objects.create(repository=repository, wording="绝密", meaning="open")
    report = import_records(template_csv(tmp_path, "绝密"), repository)
    assert report.created == 0
    assert import_records(template_csv(tmp_path, "开放"), repository).created == 1
