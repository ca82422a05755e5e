"""The generated catalogue as an archive would bring it: CSV, EAD and OCR files.

One bundle directory per repository:

    <repository code>/catalogue.csv     our DA/T 18 template (docs/importing.md)
    <repository code>/J0001.xml …       one EAD 2002 finding aid per fonds
                                        (docs/importing-ead.md)
    <repository code>/ocr/J0001/<档号>.txt   OCR text, pages split by form
                                        feeds, named by both (全文 column in
                                        the CSV, a dao with role "ocr" in EAD)

Both formats describe the same records, so the two imports can be compared.
"""

import csv

LEVELS = {"fonds": "全宗", "series": "目录", "file": "案卷", "item": "件"}
ACCESS = {"open": "开放", "closed": "不开放", "controlled": "控制使用"}
HEADER = [
    "档号",
    "层级",
    "题名",
    "英文题名",
    "责任者",
    "日期",
    "文件编号",
    "保管期限",
    "载体数量",
    "页数",
    "主题词",
    "人名",
    "地名",
    "范围和提要",
    "语言",
    "开放标识",
    "开放日期",
    "全文",
]
EAD_NAMESPACE = "urn:isbn:1-931666-22-9"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
FORM_FEED = "\f"


def _x(text):
    return text.translate(_ESCAPES)


def text_path(node, fonds_code):
    return f"ocr/{fonds_code}/{node.code}.txt"


def extent(node):
    return f"{node.page_count}页" if node.page_count else ""


class CsvWriter:
    def __init__(self, path):
        self.file = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.file)
        self.writer.writerow(HEADER)

    def start(self, node, fonds_code):
        opening = node.opening_date.isoformat() if node.opening_date else ""
        self.writer.writerow(
            [
                node.code,
                LEVELS[node.level],
                node.title,
                node.title_en,
                "、".join(node.creators),
                node.date_written,
                node.document_number,
                node.retention,
                extent(node),
                node.page_count if node.page_count is not None else "",
                "、".join(node.subjects),
                "、".join(node.names),
                "、".join(node.places),
                node.scope,
                node.language,
                ACCESS[node.status],
                opening,
                text_path(node, fonds_code) if node.pages else "",
            ]
        )

    def close(self):
        self.file.close()


class EadWriter:
    """One finding aid per fonds, written as the walk goes: a component's
    description at its start, its closing tag at its end."""

    def __init__(self, directory, repository):
        self.directory = directory
        self.repository = repository
        self.file = None
        self.paths = []

    def start(self, node, fonds_code):
        parts = []
        if node.level == "fonds":
            path = self.directory / f"{node.code}.xml"
            self.paths.append(path)
            self.file = path.open("w", encoding="utf-8")
            parts.append(
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<ead xmlns="{EAD_NAMESPACE}" xmlns:xlink="{XLINK_NAMESPACE}">\n'
                "<eadheader>"
                f'<eadid countrycode="CN" mainagencycode="{self.repository}">'
                f"{self.repository}-{node.code}</eadid><filedesc><titlestmt>"
                f"<titleproper>{_x(node.title)}</titleproper></titlestmt>"
                "</filedesc></eadheader>\n"
                '<archdesc level="fonds">\n'
            )
        else:
            parts.append(f'<c level="{node.level}">\n')
        parts.append(self.did(node, fonds_code))
        restriction = self.restriction(node)
        if restriction:
            parts.append(f"<accessrestrict><p>{restriction}</p></accessrestrict>\n")
        if node.scope:
            parts.append(f"<scopecontent><p>{_x(node.scope)}</p></scopecontent>\n")
        terms = (
            [f"<subject>{_x(s)}</subject>" for s in node.subjects]
            + [f"<persname>{_x(n)}</persname>" for n in node.names]
            + [f"<geogname>{_x(p)}</geogname>" for p in node.places]
        )
        if terms:
            parts.append(f"<controlaccess>{''.join(terms)}</controlaccess>\n")
        if node.level == "fonds":
            parts.append("<dsc>\n")
        self.file.write("".join(parts))

    def end(self, node):
        if node.level == "fonds":
            self.file.write("</dsc>\n</archdesc>\n</ead>\n")
            self.file.close()
            self.file = None
        else:
            self.file.write("</c>\n")

    @staticmethod
    def restriction(node):
        if node.level == "fonds":
            return "开放"
        if node.status != "open":
            return ACCESS[node.status]
        if node.opening_date:
            date = node.opening_date
            return f"{date.year}年{date.month}月{date.day}日起开放"
        return ""

    @staticmethod
    def did(node, fonds_code):
        parts = [f"<did><unitid>{_x(node.own)}</unitid>"]
        if node.document_number:
            parts.append(f'<unitid type="文件编号">{_x(node.document_number)}</unitid>')
        parts.append(f"<unittitle>{_x(node.title)}</unittitle>")
        if node.title_en:
            parts.append(f'<unittitle xml:lang="en">{_x(node.title_en)}</unittitle>')
        if node.date_written:
            normal = f' normal="{node.date_normal}"' if node.date_normal else ""
            parts.append(f"<unitdate{normal}>{_x(node.date_written)}</unitdate>")
        if node.creators:
            names = "".join(f"<corpname>{_x(c)}</corpname>" for c in node.creators)
            parts.append(f"<origination>{names}</origination>")
        if node.page_count:
            parts.append(f"<physdesc><extent>{extent(node)}</extent></physdesc>")
        if node.language:
            parts.append(
                f"<langmaterial><language>{_x(node.language)}</language></langmaterial>"
            )
        if node.pages:
            parts.append(
                f'<dao xlink:type="simple" xlink:href="{text_path(node, fonds_code)}" '
                'xlink:role="ocr"/>'
            )
        parts.append("</did>\n")
        return "".join(parts)

    def close(self):
        if self.file is not None:
            self.file.close()


class TextWriter:
    """OCR text files, one per digitised item."""

    def __init__(self, directory):
        self.directory = directory
        self.made = set()
        self.files = 0
        self.pages = 0
        self.characters = 0

    def start(self, node, fonds_code):
        if not node.pages:
            return
        folder = self.directory / "ocr" / fonds_code
        if fonds_code not in self.made:
            folder.mkdir(parents=True, exist_ok=True)
            self.made.add(fonds_code)
        text = FORM_FEED.join(node.pages)
        (folder / f"{node.code}.txt").write_text(text, encoding="utf-8")
        self.files += 1
        self.pages += len(node.pages)
        self.characters += len(text) - len(node.pages) + 1
