"""The demo catalogue: an import bundle written the way an archive would bring it.

Two repositories and four fonds of a fictional treaty-port city (the customs
house, the chamber of commerce, a textile mill and a district government),
laid out in portal/demo/data/catalogue.toml and written in our CSV template:
series, files each about one subject, items written for their file (with
their own dates, creators and texts, portal/demo/writing.py), a series in
English, one file of 3,000 import declarations, page scans with their OCR
text (portal/demo/scans.py), and some records closed or not yet open, so that
the importer's report shows the gate at work. Seeded: every run writes the
same bundle, and each record's text depends only on its reference code.
"""

import csv
import datetime
import hashlib
import random
import shutil
from collections import defaultdict
from functools import partial
from pathlib import Path

from catalogue.importers.csv import TEMPLATE_COLUMNS, TEMPLATE_HEADER

from . import fonts, scans, writing

PAGE = {
    "zh": {
        "title": "档案查询",
        "slug": "catalogue",
        "introduction": "本馆及各区档案馆已开放档案的目录，部分档案可在线查看影像和全文。",
    },
    "en": {
        "title": "Catalogue",
        "slug": "catalogue",
        "introduction": "The open records of the city and district archives; many "
        "can be read online as images and full text.",
    },
}

REPOSITORIES = [
    ("120101", "滨江市档案馆", "Binjiang Municipal Archives"),
    ("120104", "滨江市河西区档案馆", "Hexi District Archives of Binjiang"),
]

OPEN, CLOSED, CONTROLLED = "开放", "不开放", "控制使用"
ACCESS = ([OPEN, CLOSED, CONTROLLED], [90, 7, 3])
SCANNED = 0.35  # of the open items in Chinese; the English ones are read more
SCANNED_ENGLISH = 0.5
NOT_YET_OPEN = 0.03  # of the open items: an opening date still to come
LATER = "2030-01-01"
RETENTION = ["永久", "永久", "长期", "30年"]
# Names in the texts that are places (地名); the rest name wharves and firms.
PLACES = {"西沽", "江北岸", "河西", "河西区", "老城厢", "东门外", "解放北路", "江口"}

# How often each kind of document turns up in a file of its era.
KINDS = {
    "qing": {"呈文": 4, "函": 3},
    "republic": {
        "呈文": 3,
        "报告": 2,
        "函": 3,
        "训令": 1,
        "指令": 1,
        "批复": 1,
        "布告": 1,
        "合同": 1,
        "账册": 1,
        "会议记录": 1,
    },
    "prc": {
        "报告": 3,
        "请示": 2,
        "批复": 1,
        "函": 2,
        "通知": 2,
        "合同": 1,
        "账册": 1,
        "会议记录": 1,
        "总结": 1,
        "布告": 1,
    },
}
# A kind that needs something of its subject: a contract its clauses.
NEEDS = {"合同": "clauses", "账册": "ledger"}
ENGLISH_ADDRESSEES = {
    "despatch": "THE INSPECTOR GENERAL OF CUSTOMS, SHANGHAI",
    "circular": "THE COMMISSIONER OF CUSTOMS, BINJIANG",
    "memorandum": "the Deputy Commissioner and the Indoor Staff",
}


def write_bundle(directory: Path, seed: int = 1862) -> dict[str, Path]:
    """Write one CSV per repository plus its files; return code -> CSV path.

    Drawing the scans takes most of the build's time, and the bundle depends
    only on the seed, the sources and the fonts: a bundle written from the same
    ones is kept (its fingerprint is beside it), any other is written anew.
    """
    directory = Path(directory)
    paths = {code: directory / code / "catalogue.csv" for code, *_ in REPOSITORIES}
    stamp = directory / "bundle.sha256"
    wanted = fingerprint(seed)
    kept = stamp.exists() and stamp.read_text() == wanted
    if kept and all(path.exists() for path in paths.values()):
        return paths
    for code in paths:
        shutil.rmtree(directory / code, ignore_errors=True)  # no stale scans
    written = _Bundle(directory, seed).write()
    stamp.write_text(wanted)
    return written


def fingerprint(seed):
    """What the bundle is written from: the seed, sources, data and faces."""
    digest = hashlib.sha256(str(seed).encode())
    here = Path(__file__).parent
    sources = sorted(here.glob("*.py")) + sorted((here / "data").glob("*.toml"))
    sources += [fonts.INDEX] if fonts.INDEX.exists() else []
    for path in sources:
        digest.update(path.name.encode() + path.read_bytes())
    digest.update(repr(fonts.installed()).encode())
    return digest.hexdigest()


def _csv_row(fields):
    return [fields.get(name, "") for name in TEMPLATE_COLUMNS]


def _when(text):
    """An anchor's date: 1933-04-18, or a year alone."""
    if len(text) == 4:
        return datetime.date(int(text), 1, 1)
    return datetime.date.fromisoformat(text)


def _in_era(lists, era):
    """An office list for the era, or the nearest era's."""
    return lists.get(era) or lists.get("republic") or lists["prc"]


class _Bundle:
    def __init__(self, directory, seed):
        self.directory = directory
        self.seed = seed
        self.spec = writing.data("catalogue")
        self.texts = set()  # every text written, so that none is written twice

    def rng(self, key):
        return random.Random(f"{self.seed}:{key}")  # noqa: S311 - demo data

    def write(self):
        rows = defaultdict(list)
        for fonds in self.spec["fonds"]:
            root = self.directory / fonds["repository"]
            for folder in ("scans", "ocr"):
                (root / folder).mkdir(parents=True, exist_ok=True)
            rows[fonds["repository"]] += self.fonds(fonds, root)
        paths = {}
        for repository, _name, _name_en in REPOSITORIES:
            path = self.directory / repository / "catalogue.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(TEMPLATE_HEADER)
                writer.writerows(_csv_row(row) for row in rows[repository])
            paths[repository] = path
        return paths

    # Levels ---------------------------------------------------------------

    def fonds(self, fonds, root):
        first, last = fonds["years"]
        yield {
            "reference_code": fonds["code"],
            "level": "全宗",
            "title": fonds["title"],
            "title_en": fonds["title_en"],
            "creators": fonds["creator"],
            "date": f"{first}—{last}",
            "retention_period": "永久",
            "extent": fonds["extent"],
            "scope_and_content": fonds["scope"],
            "language": "汉语",
            "access_status": OPEN,
        }
        for series in fonds["series"]:
            series_ref = f"{fonds['code']}-{series['code']}"
            english = series.get("language") == "eng"
            years = [year for file in series["files"] for year in file["years"]]
            yield {
                "reference_code": series_ref,
                "level": "目录",
                "title": series["title"],
                "title_en": series["title_en"],
                "creators": fonds["creator"],
                "date": f"{min(years)}—{max(years)}",
                "language": "eng" if english else "汉语",
                "access_status": OPEN,
            }
            for number, file in enumerate(series["files"], start=1):
                file_ref = f"{series_ref}-{number:04d}"
                yield self.file_row(fonds, file, file_ref, english)
                items = self.english_items if english else self.items
                yield from items(fonds, file, file_ref, root)

    def file_row(self, fonds, file, reference, english):
        first, last = file["years"]
        years = str(first) if first == last else f"{first}—{last}"
        if english:
            subject = writing.data("english")["subjects"][file["subject"]]
            title = f"{subject['file_title']}, {years.replace('—', '–')}"
        else:
            subject = writing.data("subjects")[file["subject"]]
            title = f"{fonds['creator']}{years}年{subject['file_title']}"
        return {
            "reference_code": reference,
            "level": "案卷",
            "title": title,
            "creators": fonds["creator"],
            "date": years,
            "retention_period": "永久",
            "extent": f"{file['items']}件",
            "subjects": subject["keyword"],
            "language": "eng" if english else "汉语",
            "access_status": file.get("access", OPEN),
        }

    def dates(self, rng, file):
        """Each item's date, in archival order, anchors where they are fixed."""
        first, last = file["years"]
        fixed = {a["item"]: _when(a["date"]) for a in file.get("anchors", [])}
        bounds = [(0, datetime.date(first, 1, 1))]
        bounds += sorted(fixed.items())
        bounds += [(file["items"] + 1, datetime.date(last, 12, 31))]
        dates = {}
        for (low, start), (high, end) in zip(bounds, bounds[1:], strict=False):
            days = (end - start).days
            drawn = sorted(rng.randint(0, days) for _ in range(high - low - 1))
            for offset, item in zip(drawn, range(low + 1, high), strict=True):
                dates[item] = start + datetime.timedelta(days=offset)
        return dates | fixed

    # Items in Chinese ------------------------------------------------------

    def items(self, fonds, file, file_ref, root):
        subject = writing.data("subjects")[file["subject"]]
        dates = self.dates(self.rng(file_ref), file)
        anchors = {a["item"]: a for a in file.get("anchors", [])}
        for number in range(1, file["items"] + 1):
            reference = f"{file_ref}-{number:04d}"
            rng = self.rng(reference)
            if subject.get("form") == "manifest":
                yield self.manifest(rng, reference, number, dates[number], file, root)
            else:
                anchor = anchors.get(number, {})
                yield self.item(
                    rng, fonds, file, reference, dates[number], anchor, root
                )

    def item(self, rng, fonds, file, reference, date, anchor, root):
        subject = writing.data("subjects")[file["subject"]]
        era = writing.era(date)
        kinds = writing.data("kinds")
        kind = anchor.get("kind") or self.kind(rng, era, subject)
        topic = anchor.get("topic") or rng.choice(subject["topics"])
        creator, addressee = self.parties(rng, fonds, kinds[kind]["direction"], era)
        creator = anchor.get("creator", creator)
        addressee = anchor.get("addressee", addressee)
        ours = creator == fonds["creator"]
        signer = self.officer(fonds, date.year) if ours else ""
        number, printed = self.number(rng, kinds[kind], era, date, fonds, creator)
        named = [p for p in subject["places"] if p in topic]
        place = named[0] if named else rng.choice(subject["places"])
        letter = writing.Letter(
            kind=kind,
            subject=file["subject"],
            topic=topic,
            creator=creator,
            addressee=addressee,
            date=date,
            number=printed,
            signer=signer,
            place=place,
        )
        # An anchor is cited by the exhibitions and the chronicle: open unless
        # it says otherwise.
        status = anchor.get("access") or (OPEN if anchor else rng.choices(*ACCESS)[0])
        qing = era == "qing"
        row = {
            "reference_code": reference,
            "level": "件",
            "title": creator + kinds[kind]["title"].format(topic=topic),
            "creators": creator,
            "date": str(date.year) if qing else date.isoformat(),
            "document_number": number,
            "retention_period": "永久" if date.year < 1950 else rng.choice(RETENTION),
            "subjects": f"{subject['keyword']}|{kind}",
            "names": signer.split("　")[-1] if signer else "",
            "places": place if place in PLACES else "",
            "scope_and_content": writing.scope_note(letter),
            "language": "汉语",
            "access_status": status,
        }
        if anchor.get("opening"):
            row["opening_date"] = anchor["opening"]
        elif status == OPEN and not anchor and rng.random() < NOT_YET_OPEN:
            row["opening_date"] = LATER
        scanned = anchor.get("scanned") or (status == OPEN and rng.random() < SCANNED)
        text_only = not scanned and status != OPEN and rng.random() < 0.5
        if scanned or text_only:
            writer = writing.Writer(rng, self.pools(fonds))
            text = self.unique(lambda: writer.chinese(letter))
            if qing:
                written = text.rsplit("\n", 1)[-1]
                row["notes"] = f"原件署{written}（农历），著录为公历年份。"
            style = scans.style_for(
                rng, language="chi", date=date, kind=kind, creator=creator
            )
            row |= self.pages(rng, root, reference, text, style, images=scanned)
        return row

    def kind(self, rng, era, subject):
        kinds = writing.data("kinds")
        choices = {
            kind: weight
            for kind, weight in KINDS[era].items()
            if era in kinds[kind] and subject.get(NEEDS.get(kind, "facts"))
        }
        return rng.choices(list(choices), weights=list(choices.values()))[0]

    def parties(self, rng, fonds, direction, era):
        """Who writes and to whom, as the kind of document goes."""
        ours = fonds["creator"]
        if direction == "up":
            return ours, rng.choice(_in_era(fonds["superiors"], era))
        if direction == "down":
            return rng.choice(_in_era(fonds["superiors"], era)), ours
        if direction == "out":
            return ours, rng.choice(_in_era(fonds["subordinates"], era))
        if direction == "across":
            peer = rng.choice(_in_era(fonds["peers"], era))
            return (ours, peer) if rng.random() < 0.6 else (peer, ours)
        return ours, ""

    def officer(self, fonds, year):
        title, name = next(
            (title, name)
            for start, title, name in reversed(fonds["officers"])
            if start <= year
        )
        return f"{title}　{name}"

    def number(self, rng, kind, era, date, fonds, creator):
        """The document number, as catalogued and as printed on the document."""
        templates = kind.get(era, {}).get("number")
        if not templates:
            return "", ""
        template = rng.choice(templates)
        serial = rng.randint(3, 680)
        prefix = fonds["prefix"] if creator == fonds["creator"] else creator[:2]
        values = {"prefix": prefix, "year": date.year, "serial_digits": serial}
        catalogued = template.format(serial=serial, **values)
        printed = template.format(
            serial=serial if era == "prc" else writing.cn_number(serial), **values
        )
        return catalogued, printed

    def pools(self, fonds):
        return self.spec["pools"] | {"units": fonds["units"]}

    def manifest(self, rng, reference, number, date, file, root):
        """One import declaration of the big file: a form, rarely scanned."""
        pools = self.spec["pools"]
        company, ship = rng.choice(pools["companies"]), rng.choice(pools["ships"])
        subject = writing.data("subjects")[file["subject"]]
        row = {
            "reference_code": reference,
            "level": "件",
            "title": f"{company}「{ship}」轮进口报单",
            "creators": company,
            "date": date.isoformat(),
            "document_number": f"报单第{number}号",
            "retention_period": "永久",
            "subjects": f"{subject['keyword']}|报单",
            "scope_and_content": f"{company}为「{ship}」轮进口货物向滨江海关报关的报单。",
            "language": "汉语",
            "access_status": OPEN if rng.random() < 0.98 else CONTROLLED,
        }
        if number <= file.get("scanned", 0):
            letter = writing.Letter(
                kind="报单",
                subject=file["subject"],
                topic="进口报单",
                creator=company,
                addressee="滨江海关",
                date=date,
                number=f"报单第{writing.cn_number(number)}号",
                place=rng.choice(subject["places"]),
            )
            writer = writing.Writer(rng, pools)
            text = self.unique(lambda: writer.manifest(letter, company, ship))
            style = scans.style_for(
                rng, language="chi", date=date, kind="报单", creator=company, form=True
            )
            row |= self.pages(rng, root, reference, text, style, images=True)
        return row

    # Items in English ------------------------------------------------------

    def english_items(self, fonds, file, file_ref, root):
        banks = writing.data("english")
        subject = banks["subjects"][file["subject"]]
        dates = self.dates(self.rng(file_ref), file)
        anchors = {a["item"]: a for a in file.get("anchors", [])}
        kinds = banks["kinds"]
        for number in range(1, file["items"] + 1):
            reference = f"{file_ref}-{number:04d}"
            rng = self.rng(reference)
            anchor = anchors.get(number, {})
            date = dates[number]
            kind = (
                anchor.get("kind")
                or rng.choices(
                    list(kinds), weights=[k["share"] for k in kinds.values()]
                )[0]
            )
            topic = (anchor.get("topic") or rng.choice(subject["topics"])).replace(
                "{year}", str(date.year)
            )
            creator = kinds[kind]["creator"]
            if kind == "circular":
                signer = rng.choice(banks["people"]["inspectors"])
            else:
                signer = next(
                    name
                    for start, name in reversed(banks["people"]["commissioners"])
                    if start <= date.year
                )
            serial = f"{rng.randint(120, 8400):,}"
            number_text = {
                "despatch": f"No. {serial}.",
                "circular": f"Circular No. {serial} (Second Series).",
                "notification": f"Notification No. {rng.randint(3, 240)}.",
            }.get(kind, "")
            letter = writing.Letter(
                kind=kind,
                subject=file["subject"],
                topic=topic,
                creator=creator,
                addressee=ENGLISH_ADDRESSEES.get(kind, ""),
                date=date,
                number=number_text,
                language="eng",
            )
            closed_share = 30 if file["subject"] == "preventive" else 7
            status = anchor.get("access") or (
                OPEN
                if anchor
                else rng.choices(
                    [OPEN, CLOSED], weights=[100 - closed_share, closed_share]
                )[0]
            )
            title = kinds[kind]["title"].format(topic=topic)
            row = {
                "reference_code": reference,
                "level": "件",
                "title": title[0].upper() + title[1:],
                "creators": creator,
                "date": date.isoformat(),
                "document_number": number_text.rstrip(".")
                if kind != "despatch"
                else f"Despatch {number_text.rstrip('.')}",
                "retention_period": "永久",
                "subjects": f"{subject['keyword']}|{kind.capitalize()}",
                "names": signer,
                "scope_and_content": writing.english_scope_note(letter),
                "language": "eng",
                "access_status": status,
            }
            if anchor.get("opening"):
                row["opening_date"] = anchor["opening"]
            scanned = anchor.get("scanned") or (
                status == OPEN and rng.random() < SCANNED_ENGLISH
            )
            if scanned or status != OPEN:
                writer = writing.Writer(rng, self.spec["pools"])
                text = self.unique(partial(writer.english, letter, signer))
                style = scans.style_for(
                    rng, language="eng", date=date, kind=kind, creator=creator
                )
                row |= self.pages(rng, root, reference, text, style, images=scanned)
            yield row

    # Files -----------------------------------------------------------------

    def unique(self, write):
        """A text no other record has (a fresh draw in the rare clash)."""
        for _attempt in range(20):
            text = write()
            if text not in self.texts:
                self.texts.add(text)
                return text
        raise RuntimeError("the phrase banks are too small to vary the texts")

    def pages(self, rng, root, reference, text, style, *, images):
        """Write the record's pages (OCR text, and scans if `images`)."""
        pages = scans.paginate(text, style)
        scans_list, texts = [], []
        for number, page in enumerate(pages, start=1):
            stem = f"{reference}-{number:02d}"
            (root / "ocr" / f"{stem}.txt").write_text(page, encoding="utf-8")
            texts.append(f"ocr/{stem}.txt")
            if images:
                image = scans.render(page, style, rng, last_page=number == len(pages))
                (root / "scans" / f"{stem}.jpg").write_bytes(image)
                scans_list.append(f"scans/{stem}.jpg")
        row = {"page_count": str(len(pages)), "full_text": "|".join(texts)}
        if images:
            row["digital_objects"] = "|".join(scans_list)
        return row
