"""The demo catalogue: an import bundle written the way an archive would bring it.

Two repositories, a few fonds of a fictional city's customs house, chamber of
commerce, textile mill and district government; about 350 records in our CSV
template, some digitised (page images with matching OCR text) and some closed,
so that the importer's report shows the gate at work. Seeded: every run writes
the same bundle.
"""

import csv
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

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

FONDS = [
    # repository, code, title, English title, creator, years, series
    (
        "120101",
        "J0001",
        "滨江海关",
        "Binjiang Customs House",
        "滨江海关",
        (1902, 1949),
        [("001", "总务类", "General affairs"), ("002", "关务类", "Customs affairs")],
    ),
    (
        "120101",
        "J0002",
        "滨江市商会",
        "Binjiang Chamber of Commerce",
        "滨江市商会",
        (1904, 1956),
        [("001", "会务类", "Chamber business"), ("002", "商事类", "Trade disputes")],
    ),
    (
        "120101",
        "J0003",
        "滨江纺织厂",
        "Binjiang Textile Mill",
        "滨江纺织厂",
        (1921, 1998),
        [("001", "行政类", "Administration"), ("002", "生产技术类", "Production")],
    ),
    (
        "120104",
        "X0001",
        "滨江市河西区人民政府",
        "Hexi District People's Government",
        "河西区人民政府",
        (1950, 2005),
        [("001", "文书类", "Correspondence")],
    ),
]

SUBJECTS = [
    "码头",
    "航运",
    "税务",
    "商业",
    "纺织",
    "教育",
    "卫生",
    "水利",
    "交通",
    "市政",
]
PLACES = ["解放北路", "河西区", "滨江码头", "北站", "老城厢", "东门外", "西沽"]
NAMES = ["周汝昌", "陈嘉庚", "李鸿儒", "王秀英", "张伯苓", "刘季平", "赵树声"]
ACTIONS = [
    ("关于{subject}事务的呈文", "呈文"),
    ("关于{place}{subject}情况的报告", "报告"),
    ("{creator}关于{subject}问题的函", "函"),
    ("关于{place}修建工程的批复", "批复"),
    ("关于{name}任职的通知", "通知"),
    ("{year}年{subject}工作总结", "总结"),
    ("关于{subject}经费的请示", "请示"),
]
RETENTION = ["永久", "永久", "长期", "30年"]

COLUMNS = [
    "档号",
    "上级档号",
    "层级",
    "题名",
    "英文题名",
    "责任者",
    "日期",
    "文件编号",
    "保管期限",
    "密级",
    "载体数量",
    "页数",
    "主题词",
    "人名",
    "地名",
    "范围和提要",
    "附注",
    "语言",
    "开放标识",
    "开放日期",
    "数字化文件",
    "全文",
]

CJK_FONTS = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]


def _font(size):
    for candidate in CJK_FONTS:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return None


def page_text(rng, title, creator, year, page):
    subject = rng.choice(SUBJECTS)
    place = rng.choice(PLACES)
    lines = [
        f"{title}（第{page}页）" if page > 1 else title,
        f"查{place}一带{subject}事宜，前经{creator}派员会同地方商民勘察，",
        f"拟具办法如下：一、{subject}经费由各业公摊；二、工程限于{year}年秋季以前完成；",
        f"三、{place}沿线商户应予协助，不得借故推诿。",
        "以上各节是否可行，理合备文呈请鉴核示遵。",
        f"{creator}  {year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
    ]
    return "\n".join(lines)


def page_image(path, text, code, page):
    """A scan-like page: the text when a CJK font is installed, else ruled lines."""
    image = Image.new("L", (800, 1100), 236)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 760, 1060), outline=180, width=3)
    font = _font(30)
    y = 110
    for line in text.split("\n"):
        if font is not None:
            for start in range(0, len(line), 22):
                draw.text((80, y), line[start : start + 22], fill=40, font=font)
                y += 52
        else:
            draw.line((80, y + 20, 80 + 14 * len(line), y + 20), fill=60, width=6)
            y += 52
    draw.text((80, 1010), f"{code}  p.{page}", fill=90)
    image = image.convert("RGB")
    image.save(path, format="JPEG", quality=60)


def write_bundle(directory: Path, seed: int = 1862) -> dict[str, Path]:
    """Write one CSV per repository plus its files; return code -> CSV path."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    csv_paths = {}
    for repository, *_names in REPOSITORIES:
        root = directory / repository
        (root / "scans").mkdir(parents=True, exist_ok=True)
        (root / "ocr").mkdir(parents=True, exist_ok=True)
        rows = []
        for repo, code, title, title_en, creator, years, series in FONDS:
            if repo != repository:
                continue
            rows.append(
                {
                    "档号": code,
                    "层级": "全宗",
                    "题名": title,
                    "英文题名": title_en,
                    "责任者": creator,
                    "日期": f"{years[0]}—{years[1]}",
                    "保管期限": "永久",
                    "载体数量": f"{rng.randint(80, 900)}卷",
                    "范围和提要": f"本全宗收录{creator}在{years[0]}年至{years[1]}年间形成的"
                    "文书、账簿、图表和照片，反映其机构沿革、业务活动及与地方社会的往来。",
                    "语言": "汉语",
                    "开放标识": "开放",
                }
            )
            for number, (series_code, series_title, series_en) in enumerate(series):
                series_ref = f"{code}-{series_code}"
                rows.append(
                    {
                        "档号": series_ref,
                        "层级": "目录",
                        "题名": series_title,
                        "英文题名": series_en,
                        "责任者": creator,
                        "开放标识": "开放",
                    }
                )
                files = rng.randint(5, 7)
                for file_number in range(1, files + 1):
                    year = rng.randint(*years)
                    file_ref = f"{series_ref}-{file_number:04d}"
                    subject = rng.choice(SUBJECTS)
                    # One series keeps a closed file: the importer must skip it
                    # and every item in it.
                    closed = number == 1 and file_number == 2
                    rows.append(
                        {
                            "档号": file_ref,
                            "层级": "案卷",
                            "题名": f"{creator}{year}年{subject}文件",
                            "责任者": creator,
                            "日期": str(year),
                            "保管期限": rng.choice(RETENTION),
                            "主题词": subject,
                            "开放标识": "不开放" if closed else "开放",
                        }
                    )
                    for item_number in range(1, rng.randint(6, 10) + 1):
                        rows.append(
                            _item(rng, root, creator, file_ref, item_number, year)
                        )
        path = root / "catalogue.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
        csv_paths[repository] = path
    return csv_paths


def _item(rng, root, creator, file_ref, item_number, year):
    subject, place, name = rng.choice(SUBJECTS), rng.choice(PLACES), rng.choice(NAMES)
    template, kind = rng.choice(ACTIONS)
    title = template.format(
        subject=subject, place=place, name=name, creator=creator, year=year
    )
    ref = f"{file_ref}-{item_number:04d}"
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    status = rng.choices(["开放", "不开放", "控制使用"], weights=[90, 7, 3])[0]
    row = {
        "档号": ref,
        "层级": "件",
        "题名": title,
        "责任者": creator,
        "日期": f"{year}-{month:02d}-{day:02d}",
        "文件编号": f"{creator[:2]}字第{rng.randint(1, 300)}号",
        "保管期限": rng.choice(RETENTION),
        "主题词": f"{subject}|{kind}",
        "人名": name if "{name}" in template else "",
        "地名": place if "{place}" in template else "",
        "语言": "汉语",
        "开放标识": status,
    }
    if status == "开放" and rng.random() < 0.3:
        pages = rng.randint(1, 3)
        scans, texts = [], []
        for page in range(1, pages + 1):
            text = page_text(rng, title, creator, year, page)
            stem = f"{ref}-{page:02d}"
            page_image(root / "scans" / f"{stem}.jpg", text, ref, page)
            (root / "ocr" / f"{stem}.txt").write_text(text, encoding="utf-8")
            scans.append(f"scans/{stem}.jpg")
            texts.append(f"ocr/{stem}.txt")
        row.update(
            {"页数": str(pages), "数字化文件": "|".join(scans), "全文": "|".join(texts)}
        )
    if status == "开放" and rng.random() < 0.03:
        row["开放日期"] = "2030-01-01"  # opens later: stored, not yet public
    return row
