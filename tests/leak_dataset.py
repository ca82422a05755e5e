"""A mixed-access catalogue with a marker in every field, for the leak suite.

Every record that must not reach the public carries `zzhid…` markers in every
text field, its page texts and its file names; every public record carries
`zzpub…` markers instead. A public surface passes when none of its responses
holds "zzhid" and each holds the `zzpub` marker it is expected to show (the
positive control: an empty or error page fails). Fields the public never sees
(catalogue/fields.py: public=False) and the withdrawal reason carry a hidden
marker even on public records.
"""

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import models

from catalogue import fields as registry
from catalogue.models import DigitalObject, PageText, Record
from tests.factories import (
    FileFactory,
    FondsFactory,
    ItemFactory,
    RepositoryFactory,
    SeriesFactory,
)

HIDDEN = "zzhid"
PUBLIC = "zzpub"
# In every title, so that one query finds every record the public may see.
COMMON = "leakcommon"

# A tiny valid PNG (1×1, grey): the files are served, not looked at.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082"
)


def marker(prefix, case, name):
    """A word the engines index whole: letters only, unique per case and field."""
    return f"{prefix}{case}{name.replace('_', '')}zz"


@dataclass
class Case:
    name: str
    record: Record
    public: bool
    # A permalink that was public once answers 410 when withdrawal hides it.
    gone: bool = False

    @property
    def title_marker(self):
        return marker(PUBLIC if self.public else HIDDEN, self.name, "title")


@dataclass
class LeakCatalogue:
    today: datetime.date
    fonds: Record
    series: Record
    file: Record
    cases: dict

    def public_cases(self):
        return [c for c in self.cases.values() if c.public]

    def hidden_cases(self):
        return [c for c in self.cases.values() if not c.public]


def _describe(case_name, public, level):
    """The descriptive fields of a record, each holding its marker."""
    prefix = PUBLIC if public else HIDDEN
    values = {}
    for catalogue_field in registry.FIELDS:
        name = catalogue_field.name
        if name in ("reference_code", "access_status", *registry.CODE_PARTS):
            continue
        model_field = Record._meta.get_field(name)
        word = marker(prefix if catalogue_field.public else HIDDEN, case_name, name)
        if isinstance(model_field, models.JSONField):
            if name == "external_links":
                values[name] = [{"href": f"https://example.org/{word}", "title": word}]
            else:
                values[name] = [word]
        elif isinstance(model_field, models.TextField) or (
            isinstance(model_field, models.CharField)
            and not model_field.choices
            and len(word) <= model_field.max_length
        ):
            values[name] = word
    values["title"] = f"{COMMON} {values['title']}"
    values["withdrawal_reason"] = marker(HIDDEN, case_name, "withdrawalreason")[:200]
    values["date_start"] = datetime.date(1931, 5, 4)
    values["date_end"] = datetime.date(1931, 5, 4)
    values["date_expression"] = "1931年5月4日"
    values.pop("language", None)
    return values


def _digitise(record, case_name, public):
    prefix = PUBLIC if public else HIDDEN
    image = DigitalObject.objects.create(
        record=record,
        kind="image",
        position=1,
        label=marker(prefix, case_name, "label"),
        file=ContentFile(PNG, name=f"{marker(prefix, case_name, 'file')}.png"),
    )
    PageText.objects.create(
        record=record,
        page_number=1,
        digital_object=image,
        text=f"第一页 {marker(prefix, case_name, 'ocr')}",
    )


def build(today=None):
    """The dataset: one open file of items in every state, and closed branches."""
    today = today or datetime.date.today()
    repository = RepositoryFactory(
        code="120199", name="滨江市测试档案馆", name_en="Binjiang Test Archives"
    )
    fonds = FondsFactory(
        repository=repository,
        reference_code="L0001",
        **_describe("fonds", True, "fonds"),
    )
    series = SeriesFactory(
        parent=fonds, reference_code="L0001-001", **_describe("series", True, "series")
    )
    file = FileFactory(
        parent=series,
        reference_code="L0001-001-0001",
        **_describe("file", True, "file"),
    )
    cases = {}

    def item(name, public, parent=file, digitise=True, **state):
        record = ItemFactory(
            parent=parent,
            reference_code=f"{parent.reference_code}-{len(cases) + 1:04d}",
            **_describe(name, public, "item"),
            **state,
        )
        if digitise:
            _digitise(record, name, public)
        cases[name] = Case(name, record, public)
        return record

    item("open", True)
    item("pastopening", True, opening_date=today - datetime.timedelta(days=30))
    item("controlled", False, access_status="controlled")
    item("closed", False, access_status="closed")
    item("future", False, opening_date=today + datetime.timedelta(days=400))

    # Public once, then withdrawn: its permalink answers 410.
    withdrawn = item("withdrawn", False)
    withdrawn.withdrawn = True
    withdrawn.save()
    cases["withdrawn"].gone = True

    closed_file = FileFactory(
        parent=series,
        reference_code="L0001-001-0002",
        access_status="closed",
        **_describe("closedfile", False, "file"),
    )
    cases["closedfile"] = Case("closedfile", closed_file, False)
    item("underclosed", False, parent=closed_file)

    # A file withdrawn after it was public: it and its items answer 410; an
    # item added below it afterwards was never public and answers 404.
    withdrawn_file = FileFactory(
        parent=series,
        reference_code="L0001-001-0003",
        **_describe("withdrawnfile", False, "file"),
    )
    cases["withdrawnfile"] = Case("withdrawnfile", withdrawn_file, False, gone=True)
    item("underwithdrawn", False, parent=withdrawn_file)
    cases["underwithdrawn"].gone = True
    withdrawn_file.withdrawn = True
    withdrawn_file.save()
    item("neverpublic", False, parent=withdrawn_file)

    closed_fonds = FondsFactory(
        repository=repository,
        reference_code="L0002",
        access_status="closed",
        **_describe("closedfonds", False, "fonds"),
    )
    cases["closedfonds"] = Case("closedfonds", closed_fonds, False)
    closed_series = SeriesFactory(
        parent=closed_fonds,
        reference_code="L0002-001",
        **_describe("closedfondsseries", False, "series"),
    )
    cases["closedfondsseries"] = Case("closedfondsseries", closed_series, False)

    for name, record in (("fonds", fonds), ("series", series), ("file", file)):
        cases[name] = Case(name, record, True)
    for case in cases.values():
        case.record.refresh_from_db()
    return LeakCatalogue(
        today=today, fonds=fonds, series=series, file=file, cases=cases
    )
