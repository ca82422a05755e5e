"""The text of each demo record, written for that record.

A record's text follows its kind of document (呈文, 批复, 函, 合同, a despatch…)
and the wording of its era, names its creator and its addressee, is about its
file's subject and carries its own date: in Chinese numerals before 1980, with
the reign name before 1912, and in English the way the treaty-port customs
dated its despatches. The phrase banks are data (portal/demo/data/*.toml);
slots are filled afresh at each use, so no two records read alike.
"""

import datetime
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from exhibitions.templatetags.exhibition_tags import era_year

DATA = Path(__file__).parent / "data"
REPUBLIC = datetime.date(1912, 1, 1)
PRC = datetime.date(1949, 10, 1)
# From then on typed documents give dates and numbers in Arabic figures.
ARABIC_FROM = 1980
DIGITS = "〇一二三四五六七八九"
NUMERALS = "零一二三四五六七八九"
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SLOT = re.compile(r"\{(\w+)\}")
# Slots filled from the catalogue's pools of names (catalogue.toml).
POOLS = {"name": "names", "company": "companies", "ship": "ships"} | {
    "goods": "goods",
    "port": "ports",
}
# The last character of an office says how a letter addresses it: 贵会, 贵署.
OFFICE_WORDS = "会署局厂处司卡课府部所校院公司"


@cache
def data(name):
    with (DATA / f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)


def era(date):
    if date < REPUBLIC:
        return "qing"
    return "republic" if date < PRC else "prc"


def cn_number(n):
    """A whole number in Chinese numerals, as amounts are written: 二千零四十."""
    if n < 10:
        return NUMERALS[n]
    if n < 20:
        return "十" + (NUMERALS[n % 10] if n % 10 else "")
    text, gap = "", False
    for value, name in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十")):
        count, n = divmod(n, value)
        if count:
            text += ("零" if gap else "") + (
                cn_number(count) if value == 10000 else NUMERALS[count]
            )
            text += name
            gap = False
        elif text:
            gap = True
    if n:
        text += ("零" if gap else "") + NUMERALS[n]
    return text


def chinese_date(date, rng=None):
    """The date as the document writes it at its foot."""
    if date.year < REPUBLIC.year:
        # Qing documents count lunar months; the catalogue keeps the year.
        month = rng.randint(2, 10)
        day = rng.randint(1, 29)
        return f"{era_year(date.year)}{cn_number(month)}月{_lunar_day(day)}日"
    if date < PRC:
        year = date.year - 1911
        number = "元" if year == 1 else cn_number(year)
        return f"中华民国{number}年{cn_number(date.month)}月{cn_number(date.day)}日"
    if date.year >= ARABIC_FROM:
        return f"{date.year}年{date.month}月{date.day}日"
    year = "".join(DIGITS[int(d)] for d in str(date.year))
    return f"{year}年{cn_number(date.month)}月{cn_number(date.day)}日"


def _lunar_day(day):
    return ("初" if day <= 10 else "") + cn_number(day)


def english_date(date):
    suffix = (
        "th"
        if 10 <= date.day % 100 <= 20
        else {1: "st", 2: "nd", 3: "rd"}.get(date.day % 10, "th")
    )
    return f"{date.day}{suffix} {MONTHS_EN[date.month - 1]}, {date.year}"


def office_word(office):
    """贵会 for 滨江市商会: the word a letter uses for the office it writes to."""
    for word in ("公司", "公所"):
        if office.endswith(word):
            return word
    return office[-1] if office and office[-1] in OFFICE_WORDS else "处"


@dataclass(frozen=True)
class Letter:
    """What one record's text is written from."""

    kind: str
    subject: str
    topic: str
    creator: str
    addressee: str
    date: datetime.date
    number: str = ""
    signer: str = ""  # the head who signs, "税务司　唐恩培", when the creator is ours
    place: str = ""
    language: str = "chi"


class Writer:
    """Writes texts from the phrase banks; `rng` decides every choice."""

    def __init__(self, rng, pools):
        self.rng = rng
        self.pools = pools

    def pick(self, options):
        return self.rng.choice(options) if options else ""

    # Slots ----------------------------------------------------------------

    def fill(self, template, letter, fixed):
        """Put values in the slots; numbers, names and ships are drawn afresh."""
        era_name = era(letter.date)
        figures = era_name == "prc"

        def value(match):
            slot = match.group(1)
            if slot in fixed:
                return fixed[slot]
            rng = self.rng
            if slot in POOLS:
                return self.pick(self.pools[POOLS[slot]])
            if slot == "count":
                n = rng.randint(2, 24)
                return str(n) if figures else cn_number(n)
            if slot == "percent":
                return cn_number(rng.randint(1, 5))
            if slot == "days":
                return self.pick(["三", "五", "七", "十", "十五", "二十"])
            if slot == "big":
                n = rng.randint(12, 960) * 10 + rng.choice([0, 0, 5])
                return str(n) if figures else cn_number(n)
            if slot == "amount":
                n = rng.randint(3, 980) * 10
                return str(n) if figures else cn_number(n)
            raise KeyError(slot)

        return SLOT.sub(value, template)

    # Chinese --------------------------------------------------------------

    def chinese(self, letter):
        """The record's text, a line per paragraph."""
        kind = data("kinds")[letter.kind]
        wording = kind.get(era(letter.date)) or kind.get("republic") or kind["prc"]
        subject = data("subjects")[letter.subject]
        named = [p for p in subject["places"] if p in letter.topic]
        place = letter.place or (named[0] if named else self.pick(subject["places"]))
        fixed = {
            "topic": letter.topic,
            "place": place,
            "creator": letter.creator,
            "addressee": letter.addressee,
            "addressee_kind": office_word(letter.addressee),
            "unit_short": office_word(letter.creator),
            "unit": self.pick(self.pools.get("units", ["总务科"])),
        }

        def say(options):
            return self.fill(self.pick(options), letter, fixed)

        layout = getattr(self, f"_{kind['layout']}")
        lines = layout(letter, wording, subject, say)
        return "\n".join(line for line in lines if line)

    def _heading(self, letter, wording, say):
        lines = []
        if wording.get("head"):
            lines.append(say(wording["head"]))
        if letter.number:
            lines.append(letter.number)
        if era(letter.date) == "prc":
            lines.append(
                self.fill(
                    data("kinds")[letter.kind]["title"], letter, {"topic": letter.topic}
                )
            )
        if wording.get("salute_before"):
            lines.append(say(wording["salute_before"]))
        return lines

    def _facts(self, subject, say, lead, count):
        facts = self.rng.sample(subject["facts"], min(count, len(subject["facts"])))
        sentences = [say([fact]) for fact in facts]
        if sentences:
            sentences[0] = lead + sentences[0]
        return (
            "，".join(sentences[:2])
            + "。"
            + "".join(sentence + "。" for sentence in sentences[2:])
        )

    def _signature(self, letter):
        if letter.signer:
            return f"{letter.creator}{letter.signer}"
        return letter.creator

    def _footer(self, letter, wording, say):
        lines = []
        if wording.get("formula"):
            lines.append(say(wording["formula"]))
        if wording.get("salute"):
            lines.append(say(wording["salute"]))
        lines.append(self._signature(letter))
        lines.append(chinese_date(letter.date, self.rng))
        return lines

    def _letter(self, letter, wording, subject, say):
        lines = self._heading(letter, wording, say)
        lines.append(say(wording["opening"]))
        lead = say(wording.get("lead", [""]))
        lines.append(self._facts(subject, say, lead, self.rng.randint(2, 4)))
        requests = self.rng.sample(
            subject["requests"], min(self.rng.randint(1, 2), len(subject["requests"]))
        )
        if requests:
            connector = self.pick(
                ["为此，", "我们意见：", "经研究，"]
                if era(letter.date) == "prc"
                else ["兹", "现", "再，"]
            )
            lines.append(connector + "；".join(say([r]) for r in requests) + "。")
        lines.append(say(wording["closing"]))
        return lines + self._footer(letter, wording, say)

    def _reply(self, letter, wording, subject, say):
        lines = self._heading(letter, wording, say)
        opening = say(wording["opening"])
        decisions = self.rng.sample(
            subject["decisions"], min(self.rng.randint(1, 2), len(subject["decisions"]))
        )
        fact = say(self.rng.sample(subject["facts"], 1)) if subject["facts"] else ""
        lead = ""
        if era(letter.date) != "prc" and not fact.startswith(("据", "前", "查")):
            lead = self.pick(["查", "经查"])
        body = (lead + fact + "。") if fact else ""
        lines.append(opening + body)
        lines.append("；".join(say([d]) for d in decisions) + "。")
        lines.append(say(wording["closing"]))
        return lines + self._footer(letter, wording, say)

    def _order(self, letter, wording, subject, say):
        lines = self._heading(letter, wording, say)
        lines.append(say(wording["opening"]))
        lead = say(wording.get("lead", [""]))
        lines.append(self._facts(subject, say, lead, self.rng.randint(2, 3)))
        if subject["requests"]:
            request = say(self.rng.sample(subject["requests"], 1))
            lines.append("兹" + request.removeprefix("拟") + "。")
        lines.append(say(wording["closing"]))
        return lines + self._footer(letter, wording, say)

    def _notice(self, letter, wording, subject, say):
        return self._order(letter, wording, subject, say)

    def _contract(self, letter, wording, subject, say):
        party = self.pick(subject.get("parties") or [letter.addressee])
        lines = [
            f"{letter.topic}合同",
            f"立合同人　甲方：{letter.creator}",
            f"乙方：{party}",
            say(wording["opening"]),
        ]
        clauses = subject.get("clauses") or []
        for number, clause in enumerate(
            self.rng.sample(clauses, min(len(clauses), self.rng.randint(3, 4))),
            start=1,
        ):
            lines.append(f"{cn_number(number)}、{say([clause])}。")
        lines.append(say(wording["ending"]))
        signer = (
            letter.signer.split("　")[-1]
            if letter.signer
            else self.pick(self.pools["names"])
        )
        lines.append(f"甲方：{letter.creator}　代表人：{signer}")
        lines.append(f"乙方：{party}　代表人：{self.pick(self.pools['names'])}")
        lines.append(chinese_date(letter.date, self.rng))
        return lines

    def _ledger(self, letter, wording, subject, say):
        figures = era(letter.date) == "prc"
        money = "人民币" if figures else "洋"
        items = subject.get("ledger") or ["杂项"]
        lines = [f"{letter.creator}{letter.topic}收支清册", say(wording["opening"])]
        spent_items = self.rng.sample(items, min(len(items), self.rng.randint(2, 4)))
        spent = [self.rng.randint(20, 900) for _ in spent_items]
        received = sum(spent) + self.rng.randint(10, 400)

        def amount(n):
            return f"{money}{n if figures else cn_number(n)}元"

        lines.append(f"收　{self.pick(items)}　{amount(received)}")
        for item, value in zip(spent_items, spent, strict=True):
            lines.append(f"支　{item}　{amount(value)}")
        lines.append(
            f"以上共收{amount(received)}，共支{amount(sum(spent))}，"
            f"实存{amount(received - sum(spent))}。"
        )
        lines.append(say(wording["ending"]))
        lines.append(f"{letter.creator}　经手人　{self.pick(self.pools['names'])}")
        lines.append(chinese_date(letter.date, self.rng))
        return lines

    def _minutes(self, letter, wording, subject, say):
        names = self.rng.sample(self.pools["names"], 5)
        hour = self.pick(["上午九时", "下午二时", "上午十时"])
        venue = self.pick(["本会会议室", "会议室", "办公楼二楼", "大礼堂"])
        lines = [
            f"{letter.creator}关于{letter.topic}的会议记录",
            f"时间：{chinese_date(letter.date, self.rng)}{hour}",
            f"地点：{venue}",
            f"出席：{'、'.join(names[:4])}",
            f"主席：{names[0]}　记录：{names[4]}",
            say(wording["opening"]),
        ]
        for number, fact in enumerate(
            self.rng.sample(subject["facts"], min(3, len(subject["facts"]))), start=1
        ):
            lines.append(f"{cn_number(number)}、{say([fact])}。")
        if subject["requests"]:
            lines.append("决议：" + say(self.rng.sample(subject["requests"], 1)) + "。")
        lines.append(say(wording["ending"]))
        return lines

    def _summary(self, letter, wording, subject, say):
        lines = self._heading(letter, wording, say)
        lines.append(say(wording["opening"]))
        lines.append("一、基本情况")
        lines.append(self._facts(subject, say, "", 2))
        lines.append("二、主要做法")
        if subject["requests"]:
            did = say(self.rng.sample(subject["requests"], 1))
            lines.append(
                did.removeprefix("拟").removeprefix("请").removeprefix("我们") + "。"
            )
        lines.append("三、存在的问题")
        lines.append(
            self.pick(
                [
                    "有的同志对这项工作重视不够，制度执行不严。",
                    "经费不足，部分计划未能按期完成。",
                    "群众发动还不够普遍。",
                ]
            )
        )
        lines.append(say(wording["ending"]))
        return lines + [self._signature(letter), chinese_date(letter.date, self.rng)]

    def manifest(self, letter, company, ship):
        """An import declaration (报单) of the big customs file, as a form."""
        goods = self.rng.sample(self.pools["goods"], self.rng.randint(2, 3))
        cargo = "、".join(
            f"{item}{cn_number(self.rng.randint(20, 900))}件" for item in goods
        )
        return "\n".join(
            [
                "滨江关进口报单",
                letter.number,
                f"船名：「{ship}」轮　船主：{company}",
                f"来自：{self.pick(self.pools['ports'])}　"
                f"吨位：{cn_number(self.rng.randint(80, 460) * 10)}吨",
                f"货物：{cargo}",
                f"卸货地点：{letter.place}",
                f"报关人：{company}",
                f"进口日期：{chinese_date(letter.date, self.rng)}",
            ]
        )

    # English ----------------------------------------------------------------

    def english(self, letter, signer):
        kind = data("english")["kinds"][letter.kind]
        subject = data("english")["subjects"][letter.subject]
        fixed = {"topic": letter.topic, "year": str(letter.date.year)}

        def say(options):
            return self._fill_english(self.pick(options), fixed)

        facts = [
            say([fact])
            for fact in self.rng.sample(
                subject["facts"], min(len(subject["facts"]), self.rng.randint(2, 4))
            )
        ]
        requests = [say([r]) for r in self.rng.sample(subject["requests"], 1)]
        paragraphs = [say(kind["openings"]) + " " + facts[0]]
        paragraphs += [" ".join(facts[1:3])] if len(facts) > 1 else []
        paragraphs += facts[3:]
        if letter.kind != "circular":
            paragraphs += requests
        paragraphs.append(say(kind["closings"]))
        written = english_date(letter.date)
        top = [letter.number] if letter.number else []
        if letter.kind == "circular":
            top += ["INSPECTORATE GENERAL OF CUSTOMS,", f"SHANGHAI, {written}."]
        else:
            top += ["CUSTOM HOUSE,", f"BINJIANG, {written}."]
        if letter.kind in ("despatch", "circular"):
            top.append("SIR,")
            end = [
                "I have the honour to be," if letter.kind == "despatch" else "I am,",
                "Sir,",
                "Your obedient Servant,",
                f"{signer.upper()},",
                f"{letter.creator}.",
                f"To {letter.addressee}.",
            ]
        elif letter.kind == "memorandum":
            top.append(f"MEMORANDUM. To: {letter.addressee}.")
            end = [f"{signer},", f"{letter.creator}."]
        else:
            heading = (
                "NOTIFICATION TO MERCHANTS."
                if letter.kind == "notification"
                else letter.topic.upper().removeprefix("THE ") + "."
            )
            top.append(heading)
            end = [f"{signer},", f"{letter.creator}."]
        return "\n".join(top + paragraphs + end)

    def _fill_english(self, template, fixed):
        rng = self.rng

        def value(match):
            slot = match.group(1)
            if slot in fixed:
                return fixed[slot]
            if slot == "name":
                return self.pick(data("english")["people"]["staff"])
            if slot in ("company", "ship", "goods", "port"):
                return self.pick(ENGLISH_POOLS[slot])
            if slot == "count":
                return str(rng.randint(2, 28))
            if slot == "percent":
                return str(rng.choice([5, 7, 10, 12, 15, 20, 25, 30]))
            if slot == "big":
                return f"{rng.randint(120, 9800):,}"
            if slot == "taels":
                return f"{rng.randint(1200, 480000):,}.{rng.randint(0, 999):03d}"
            if slot == "dollars":
                return f"{rng.randint(2000, 900000):,}.{rng.randint(0, 99):02d}"
            raise KeyError(slot)

        return SLOT.sub(value, template)


ENGLISH_POOLS = {
    "company": [
        "the China Merchants' Steam Navigation Company",
        "Butterfield & Swire",
        "Jardine, Matheson & Co.",
        "the Ningshao Steamship Company",
        "the Nisshin Kisen Kaisha",
    ],
    "ship": ["Kiangwah", "Siangtan", "Hsin Ning", "Haiyen", "Kutsing", "Shuntien"],
    "goods": [
        "cotton piece goods",
        "kerosene oil",
        "flour",
        "matches",
        "sugar",
        "cigarettes",
        "raw silk",
        "beancake",
    ],
    "port": ["Shanghai", "Hankow", "Chefoo", "Newchwang", "Dairen", "Hong Kong"],
}


def scope_note(letter):
    """A line for the record's 范围和提要: who wrote to whom, about what."""
    verbs = {
        "呈文": "呈{addressee}，请示{topic}事宜",
        "报告": "向{addressee}报告{topic}情况",
        "请示": "就{topic}问题请示{addressee}",
        "批复": "批复{addressee}关于{topic}的呈请",
        "训令": "令{addressee}办理{topic}事宜",
        "指令": "指令{addressee}办理{topic}事宜",
        "函": "致函{addressee}，商洽{topic}事宜",
        "通知": "通知{addressee}{topic}有关事项",
        "布告": "布告{topic}有关事项",
        "合同": "订立{topic}合同",
        "账册": "{topic}收支清册",
        "会议记录": "关于{topic}的会议记录",
        "总结": "总结{topic}工作",
    }
    text = verbs[letter.kind].format(topic=letter.topic, addressee=letter.addressee)
    return f"{letter.creator}{text}。"


def english_scope_note(letter):
    what = {
        "despatch": "Despatch from the Commissioner to the Inspector General on "
        "{topic}, with his proposals.",
        "circular": "Circular of the Inspector General to the Commissioners on "
        "{topic}.",
        "report": "The Commissioner's report on {topic}.",
        "memorandum": "Memorandum to the staff of the Custom House on {topic}.",
        "notification": "Public notification to merchants and shippers on {topic}.",
    }
    return what[letter.kind].format(topic=letter.topic)
