"""The shape of a generated catalogue: repositories > fonds > series > files > items.

`Catalogue(scale, seed).repositories()` says which archives hold how many rows;
`Catalogue.events(repository)` walks one repository's records depth first as
("start", node) and ("end", node) events, parents before children, exactly as
many nodes as its share of the scale. Every random choice comes from one
`random.Random(seed)` in a fixed order, so a seed gives the same catalogue,
byte for byte, every time.

The shape, per level (the figures are the generator's, not promises of the
data's exact proportions):

- fonds (全宗): named after the body that created it, a few hundred rows to
  tens of thousands (log-normal sizes); about 1 in 10 has no series, its files
  directly below it (a level skipped);
- series (目录): up to 12 per fonds; about 3 in 10 are arranged by item (件),
  their items directly below them (another level skipped);
- files (案卷): 1–30 items each, and 1 in 5 described at file level only;
- items (件): the bulk of the rows, dated to the day across 1912–2012.
- one very wide file, in the city archive, with `wide` items: 100,000 at a
  million rows, a tenth of the scale below that.

Not open: series 4 %, files and items 10 % (不开放 or 控制使用), so about one
row in ten is not open, and everything below such a row is left out by the
import. Of the open items, 1 % open only in 2080 (stored, not yet public) and
2 % opened in 2015 (public). Of the items, 20 % have OCR text, 1–50 pages
(log-normal, median about 5: most archival items are short), 80–300
characters a page.
"""

import datetime
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import vocabulary as words

FAR_FUTURE = datetime.date(2080, 1, 1)
OPENED = datetime.date(2015, 1, 1)
FIRST_YEAR, LAST_YEAR = 1912, 2012
MAX_WIDE = 100_000
ROC = 1911  # 民国元年 is 1912
CN_DIGITS = "〇一二三四五六七八九"


@dataclass(slots=True)
class Node:
    """One record as the generator knows it, with what the import should make
    of it (stored, public)."""

    repository: str
    code: str
    own: str  # the last part of the code, as EAD's unitid gives it
    level: str  # fonds, series, file, item
    title: str
    creators: list[str]
    date_written: str = ""
    date_normal: str = ""  # ISO 8601 as EAD's @normal wants, "" when undated
    date_start: datetime.date | None = None
    date_end: datetime.date | None = None
    title_en: str = ""
    document_number: str = ""
    retention: str = ""
    page_count: int | None = None
    subjects: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    scope: str = ""
    language: str = ""
    status: str = "open"  # open, closed, controlled
    opening_date: datetime.date | None = None
    pages: list[str] = field(default_factory=list)  # OCR text, one per page
    stored: bool = True  # the import keeps it (it and its ancestors are open)
    public: bool = True  # and the public may see it (opening dates passed)


def parse_scale(text: str) -> int:
    """1k, 10k, 100k, 1m (or a plain number) as a number of rows."""
    text = str(text).strip().lower().replace("_", "").replace(",", "")
    factor = 1
    if text.endswith("k"):
        factor, text = 1_000, text[:-1]
    elif text.endswith("m"):
        factor, text = 1_000_000, text[:-1]
    value = int(float(text) * factor)
    if value < 100:
        raise ValueError("a scale of at least 100 rows")
    return value


def scale_label(rows: int) -> str:
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}m"
    if rows % 1_000 == 0:
        return f"{rows // 1_000}k"
    return str(rows)


def default_wide(scale: int) -> int:
    """Children of the widest file: 100,000 at a million rows, in proportion
    below (a 100,000-child file would be the whole of a 100k catalogue)."""
    return min(MAX_WIDE, scale // 10)


def cn_number(n: int) -> str:
    """1–99 as written in dates: 三, 十二, 三十, 三十五."""
    tens, units = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[units]
    return (
        (CN_DIGITS[tens] if tens > 1 else "")
        + "十"
        + (CN_DIGITS[units] if units else "")
    )


def cn_year(year: int) -> str:
    return "".join(CN_DIGITS[int(d)] for d in str(year))


def last_day(year, month):
    if month == 12:
        return 31
    return (datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)).day


class Catalogue:
    def __init__(self, scale: int, seed: int, wide: int | None = None):
        self.scale = scale
        self.seed = seed
        self.wide = default_wide(scale) if wide is None else wide
        self.random = random.Random(seed)  # noqa: S311 (test data, not secrets)
        # Pools drawn once, from their own generator, so that changing how
        # rows are drawn does not change the names the query set looks for.
        pools = random.Random(seed * 7919 + 1)  # noqa: S311
        self.people = self._people(pools, 3000)
        self.places = [
            a + b + pools.choice(words.PLACE_KINDS)
            for a in words.PLACE_FIRST
            for b in words.PLACE_SECOND
            if a != b
        ]
        pools.shuffle(self.places)
        self.plan = self._plan()

    # The plan: repositories, fonds and their sizes ---------------------------

    def _plan(self):
        """[(code, name, name_en, [fonds sizes])], the sizes adding up to the scale."""
        rand = self.random
        fonds_count = max(6, min(400, self.scale // 2500))
        plan = []
        remaining = self.scale
        for index, (code, name, name_en) in enumerate(words.REPOSITORIES):
            share = words.REPOSITORY_SHARES[index]
            last = index == len(words.REPOSITORIES) - 1
            rows = remaining if last else round(self.scale * share)
            remaining -= rows
            count = max(1, round(fonds_count * share))
            weights = [rand.lognormvariate(0, 1) for _ in range(count)]
            sizes = _split(rows, weights)
            plan.append((code, name, name_en, sizes))
        # The widest file sits in a fonds of the city archive, a third of the
        # way in, which grows to hold it (taking rows from the other fonds).
        sizes = plan[0][3]
        self.wide_fonds = len(sizes) // 3
        need = self.wide + 3  # fonds, series, the file itself
        if self.wide and sizes[self.wide_fonds] < need + 1:
            others = [i for i in range(len(sizes)) if i != self.wide_fonds]
            extra = need + 1 - sizes[self.wide_fonds]
            taken = _split(extra, [sizes[i] for i in others])
            for i, take in zip(others, taken, strict=True):
                take = min(take, sizes[i] - 1)
                sizes[i] -= take
                sizes[self.wide_fonds] += take
        if self.wide and sizes[self.wide_fonds] < need + 1:
            raise ValueError("the scale is too small for the wide file")
        return plan

    @property
    def wide_code(self) -> str:
        return f"J{self.wide_fonds + 1:04d}-001-0001"

    @property
    def wide_width(self) -> int:
        """Digits of the wide file's item numbers (000001 at 100,000 items)."""
        return max(4, len(str(self.wide)))

    def repositories(self):
        """(code, name, English name, rows) of each repository."""
        return [(code, name, en, sum(sizes)) for code, name, en, sizes in self.plan]

    # Walking a repository --------------------------------------------------

    def events(self, repository: str) -> Iterator[tuple[str, Node]]:
        for code, _name, _en, sizes in self.plan:
            if code != repository:
                continue
            bodies = self._bodies(code, len(sizes))
            for index, size in enumerate(sizes):
                wide = (
                    self.wide
                    if code == self.plan[0][0] and index == self.wide_fonds
                    else 0
                )
                yield from self._fonds(code, index + 1, bodies[index], size, wide)

    def _bodies(self, repository, count):
        """Distinct creating bodies for the repository's fonds: (zh, en)."""
        rand = self.random
        city, city_en = words.CITY
        district, district_en = words.DISTRICTS.get(repository, ("", ""))
        prefix, prefix_en = city + district, f"{city_en} {district_en}".strip()
        bodies, seen = [], set()
        kinds = list(words.BODIES)
        rand.shuffle(kinds)
        for kind, kind_en in kinds:
            if len(bodies) == count:
                break
            bodies.append((prefix + kind, f"{prefix_en} {kind_en}"))
            seen.add(prefix + kind)
        while len(bodies) < count:
            place = rand.choice(self.places)[:2]
            kind, kind_en = rand.choice(words.BODIES)
            name = f"{prefix}{place}{kind}"
            if name not in seen:
                seen.add(name)
                bodies.append((name, ""))  # no English name for these
        return bodies

    def _fonds(self, repository, number, body, size, wide):
        rand = self.random
        name, name_en = body
        start = rand.randint(FIRST_YEAR, 1995)
        end = min(start + rand.randint(5, 60), LAST_YEAR)
        code = f"J{number:04d}"
        fonds = Node(
            repository=repository,
            code=code,
            own=code,
            level="fonds",
            title=name,
            title_en=name_en,
            creators=[name],
            retention="永久",
            language=rand.choice(words.LANGUAGES),
            scope=f"本全宗为{name}{start}年至{end}年形成的档案，包括"
            + "、".join(kind for kind, _en in rand.sample(words.SERIES, 2))
            + "等。",
        )
        self._span(fonds, start, end)
        yield "start", fonds
        remaining = size - 1
        context = (repository, fonds, body, start, end)
        if remaining and not wide and rand.random() < 0.1:
            # No series: the fonds' files directly below it.
            yield from self._files(context, fonds, remaining, width=4)
        elif remaining:
            count = max(1, min(12, round(remaining / 600), remaining // 2))
            weights = [rand.random() + 0.2 for _ in range(count)]
            if wide:
                # The first series holds the wide file; the rest is shared.
                extra = remaining - (wide + 2)
                count = max(1, min(count, extra))
                budgets = _split(extra, weights[:count]) if extra else [0]
                budgets[0] += wide + 2
            else:
                budgets = _split(remaining, weights)
            for index, budget in enumerate(budgets):
                yield from self._series(
                    context, index + 1, budget, wide if index == 0 else 0
                )
        yield "end", fonds

    def _series(self, context, number, budget, wide):
        rand = self.random
        repository, fonds, body, start, end = context
        title, title_en = words.SERIES[(number - 1) % len(words.SERIES)]
        first = rand.randint(start, end)
        last = rand.randint(first, end)
        series = Node(
            repository=repository,
            code=f"{fonds.code}-{number:03d}",
            own=f"{number:03d}",
            level="series",
            title=title,
            title_en=title_en if rand.random() < 0.3 else "",
            creators=[],
            retention="永久",
        )
        self._span(series, first, last)
        if not wide:  # the series of the wide file stays open, so it can be seen
            self._status(series, fonds, 0.04)
        yield "start", series
        remaining = budget - 1
        inner = (repository, series, body, first, last)
        if wide:
            yield from self._wide(inner, series, wide)
            remaining -= wide + 1
            if remaining:
                yield from self._files(inner, series, remaining, width=4, first=2)
        elif remaining and rand.random() < 0.3:
            # Arranged by item (件): no files, items directly below the series.
            yield from self._items(
                inner, series, remaining, width=max(4, len(str(remaining)))
            )
        elif remaining:
            yield from self._files(inner, series, remaining, width=4)
        yield "end", series

    def _files(self, context, parent, budget, width, first=1):
        rand = self.random
        repository, _above, body, start, end = context
        number = first - 1
        while budget > 0:
            number += 1
            budget -= 1
            items = 0 if rand.random() < 0.2 else rand.randint(1, 30)
            items = min(items, budget)
            budget -= items
            yield from self._file(
                context, parent, number, items, max(width, len(str(number)))
            )

    def _file(self, context, parent, number, items, width):
        rand = self.random
        repository, _above, body, start, end = context
        year = rand.randint(start, end)
        last = min(year + rand.choice([0, 0, 0, 1, 2]), end)
        action, action_en = rand.choice(words.ACTIONS)
        thing, thing_en = rand.choice(words.OBJECTS)
        if rand.random() < 0.5:
            title = f"{body[0]}关于{action}{thing}的文件"
        else:
            title = f"{year}年{action}{thing}有关材料"
        file = Node(
            repository=repository,
            code=f"{parent.code}-{number:0{width}d}",
            own=f"{number:0{width}d}",
            level="file",
            title=title,
            title_en=(
                f"Papers of the {body[1]} on {action_en} {thing_en}"
                if body[1] and rand.random() < 0.1
                else ""
            ),
            creators=[body[0]],
            retention=rand.choice(words.RETENTION),
        )
        pages = rand.randint(10, 200)
        file.page_count = pages
        self._span(file, year, last)
        self._status(file, parent, 0.1)
        yield "start", file
        if items:
            inner = (repository, file, body, year, last)
            yield from self._items(inner, file, items, width=4)
        yield "end", file

    def _wide(self, context, parent, children):
        """The widest file: a file of the city's petitions, item after item."""
        repository, _above, body, start, end = context
        file = Node(
            repository=repository,
            code=f"{parent.code}-0001",
            own="0001",
            level="file",
            title=f"{body[0]}收文登记（{start}—{end}年）",
            title_en=f"Register of letters received by the {body[1]}"
            if body[1]
            else "",
            creators=[body[0]],
            retention="永久",
            page_count=children,
        )
        self._span(file, start, end)
        yield "start", file
        inner = (repository, file, body, start, end)
        yield from self._items(inner, file, children, width=self.wide_width)
        yield "end", file

    def _items(self, context, parent, count, width):
        rand = self.random
        random_ = rand.random
        choice = rand.choice
        randint = rand.randint
        repository, _above, body, start, end = context
        for number in range(1, count + 1):
            year = randint(start, end)
            month, day = randint(1, 12), randint(1, 28)
            creator = body[0]
            creators = [creator]
            if random_() < 0.3:
                other = choice(words.BODIES)[0]
                creators = [words.CITY[0] + other]
                if random_() < 0.3:
                    creators.append(creator)
            action, action_en = choice(words.ACTIONS)
            thing, thing_en = choice(words.OBJECTS)
            document, document_en = choice(words.DOCUMENTS)
            shape = random_()
            if shape < 0.6:
                title = f"{creators[0]}关于{action}{thing}的{document}"
            elif shape < 0.9:
                title = f"{creators[0]}关于{year}年{action}{thing}的{document}"
            else:
                title = f"关于{action}{thing}问题的{document}"
            item = Node(
                repository=repository,
                code=f"{parent.code}-{number:0{width}d}",
                own=f"{number:0{width}d}",
                level="item",
                title=title,
                creators=creators,
                document_number=f"{creator[3:5] or creator[:2]}字第{randint(1, 300)}号",
                retention=choice(words.RETENTION),
                subjects=rand.sample(words.SUBJECTS, randint(1, 3)),
            )
            if body[1] and random_() < 0.05:
                item.title_en = (
                    f"{document_en} of the {body[1]} on {action_en} {thing_en}"
                )
            if random_() < 0.3:
                item.names = [self._person() for _ in range(randint(1, 2))]
            if random_() < 0.15:
                item.places = [choice(self.places)]
            self._item_date(item, year, month, day)
            self._status(item, parent, 0.1)
            if item.status == "open":
                chance = random_()
                if chance < 0.01:
                    item.opening_date = FAR_FUTURE
                    item.public = False
                elif chance < 0.03:
                    item.opening_date = OPENED
            if random_() < 0.2:
                pages = min(50, max(1, round(rand.lognormvariate(1.6, 0.9))))
                item.pages = [self._page(body[0], year) for _ in range(pages)]
                item.page_count = pages
            else:
                item.page_count = randint(1, 40)
            yield "start", item
            yield "end", item

    # Values ---------------------------------------------------------------

    def _people(self, rand, count):
        people, seen = [], set()
        while len(people) < count:
            given = rand.choice(words.GIVEN)
            if rand.random() < 0.7:
                given += rand.choice(words.GIVEN)
            name = rand.choice(words.SURNAMES) + given
            if name not in seen:
                seen.add(name)
                people.append(name)
        return people

    def _person(self):
        return self.random.choice(self.people)

    def _status(self, node, parent, share):
        rand = self.random
        if rand.random() < share:
            node.status = "closed" if rand.random() < 0.7 else "controlled"
        node.stored = parent.stored and node.status == "open"
        node.public = parent.public and node.stored

    def _span(self, node, first, last):
        if first == last:
            node.date_written = f"{first}年"
            node.date_normal = f"{first}"
        else:
            separator = self.random.choice(["-", "—", "至"])
            node.date_written = f"{first}{separator}{last}"
            node.date_normal = f"{first}/{last}"
        node.date_start = datetime.date(first, 1, 1)
        node.date_end = datetime.date(last, 12, 31)

    def _item_date(self, item, year, month, day):
        """A day, written as archivists write it; a few only to the month or undated."""
        shape = self.random.random()
        if shape < 0.02:
            item.date_written = "不详"
            return
        if shape < 0.05 and year < 1949:
            item.date_written = f"民国{cn_number(year - ROC)}年{cn_number(month)}月"
            item.date_normal = f"{year}-{month:02d}"
            item.date_start = datetime.date(year, month, 1)
            item.date_end = datetime.date(year, month, last_day(year, month))
            return
        if shape < 0.07:
            item.date_written = (
                f"{cn_year(year)}年{cn_number(month)}月{cn_number(day)}日"
            )
        elif shape < 0.4:
            item.date_written = f"{year}{month:02d}{day:02d}"
        elif shape < 0.7:
            item.date_written = f"{year}-{month:02d}-{day:02d}"
        elif shape < 0.9:
            item.date_written = f"{year}年{month}月{day}日"
        else:
            item.date_written = f"{year}.{month}.{day}"
        item.date_normal = f"{year}-{month:02d}-{day:02d}"
        item.date_start = item.date_end = datetime.date(year, month, day)

    def _page(self, body, year):
        """One page of OCR text: sentences until 80–300 characters."""
        rand = self.random
        choice = rand.choice
        randint = rand.randint
        target = randint(80, 300)
        parts, length = [], 0
        while length < target:
            action, _en = choice(words.ACTIONS)
            thing, _en = choice(words.OBJECTS)
            sentence = choice(words.SENTENCES).format(
                body=body
                if rand.random() < 0.6
                else words.CITY[0] + choice(words.BODIES)[0],
                year=year,
                month=randint(1, 12),
                day=randint(1, 28),
                topic=choice(words.OBJECTS)[0],
                action=action,
                object=thing,
                doc=choice(words.DOCUMENTS)[0],
                person=choice(self.people),
                place=choice(self.places),
                pages=randint(1, 40),
                number=randint(2, 300),
            )
            parts.append(sentence)
            length += len(sentence)
        return "".join(parts)


def _split(total, weights):
    """`total` split in proportion to `weights`, every share at least 1 when
    there is enough to go round, the shares adding up to `total` exactly."""
    if not weights:
        return []
    whole = sum(weights)
    shares = [
        max(1, math.floor(total * w / whole)) if total >= len(weights) else 0
        for w in weights
    ]
    difference = total - sum(shares)
    index = 0
    while difference:
        position = index % len(shares)
        if difference > 0:
            shares[position] += 1
            difference -= 1
        elif shares[position] > 1:
            shares[position] -= 1
            difference += 1
        index += 1
    return shares
