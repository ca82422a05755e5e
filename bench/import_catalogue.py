"""How fast does a CSV catalogue import, and in how much memory?

    .venv/bin/python bench/import_catalogue.py --records 100000

Writes a seeded CSV of N records in our template (fonds > series > file > item,
some levels skipped, Chinese titles, dates across a century, about one row in
ten not open), migrates a fresh temporary SQLite database (or uses
--database-url), then runs the real import, `import_records(read_csv(...))`,
and prints rows, seconds, records per second and peak memory. Figures, not
pass/fail. --profile shows where the time goes.
"""

import argparse
import cProfile
import csv
import io
import os
import pstats
import random
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ORGANISATIONS = [
    "滨江市人民政府",
    "滨江市人民委员会",
    "滨江海关",
    "滨江市商会",
    "滨江纺织厂",
    "滨江市教育局",
    "滨江市卫生局",
    "滨江市建设局",
    "滨江港务局",
    "滨江市总工会",
    "滨江第一中学",
    "滨江市粮食局",
]
TOPICS = [
    "整顿市区交通秩序",
    "码头扩建工程",
    "筹办国货展览会",
    "年度生产计划",
    "职工劳动保险",
    "防汛抗旱工作",
    "城市绿化建设",
    "中小学招生",
    "爱国卫生运动",
    "粮食统购统销",
    "私营工商业改造",
    "修建人民公园",
    "扫除文盲",
    "公共汽车线路调整",
    "自来水厂扩建",
]
DOCUMENTS = ["通知", "报告", "请示", "批复", "函", "决定", "会议记录", "统计表", "呈文"]
SERIES_NAMES = ["总务类", "人事类", "计划统计类", "财务类", "业务类", "基建类"]
SUBJECTS = ["交通", "码头", "基本建设", "对外贸易", "教育", "卫生", "工业", "人事"]
PEOPLE = ["王振华", "李明", "张国栋", "陈淑贞", "刘建国", "赵桂兰"]
HEADER = [
    "档号",
    "层级",
    "题名",
    "责任者",
    "日期",
    "文件编号",
    "保管期限",
    "页数",
    "主题词",
    "人名",
    "开放标识",
]
NOT_OPEN = ["不开放", "不开放", "控制使用"]


class Catalogue:
    """Rows of a city archive's catalogue, generated from a seed."""

    def __init__(self, seed):
        self.random = random.Random(seed)  # noqa: S311 (test data, not secrets)

    def status(self):
        return self.random.choice(NOT_OPEN) if self.random.random() < 0.1 else "开放"

    def date(self, year):
        month, day = self.random.randint(1, 12), self.random.randint(1, 28)
        return self.random.choice(
            [
                f"{year}{month:02d}{day:02d}",
                f"{year}-{month:02d}-{day:02d}",
                f"{year}年{month}月{day}日",
                f"{year}.{month}.{day}",
            ]
        )

    def title(self, organisation, year):
        topic = self.random.choice(TOPICS)
        document = self.random.choice(DOCUMENTS)
        return f"{organisation}关于{year}年{topic}的{document}"

    def item(self, code, organisation, year):
        return [
            code,
            "件",
            self.title(organisation, year),
            organisation,
            self.date(year),
            f"{organisation[2:4]}字第{self.random.randint(1, 300)}号",
            self.random.choice(["永久", "长期", "30年"]),
            str(self.random.randint(1, 40)),
            "、".join(self.random.sample(SUBJECTS, 2)),
            self.random.choice(PEOPLE) if self.random.random() < 0.3 else "",
            self.status(),
        ]

    def rows(self):
        """Endless rows, parents first."""
        fonds_number = 0
        while True:
            fonds_number += 1
            organisation = ORGANISATIONS[(fonds_number - 1) % len(ORGANISATIONS)]
            start = self.random.randint(1912, 1990)
            end = min(start + self.random.randint(5, 40), 2012)
            fonds = f"J{fonds_number:04d}"
            yield [
                fonds,
                "全宗",
                organisation,
                organisation,
                f"{start}-{end}",
                "",
                "永久",
                "",
                "",
                "",
                "开放",
            ]
            for series_number in range(1, self.random.randint(3, 6) + 1):
                series = f"{fonds}-{series_number:03d}"
                yield [
                    series,
                    "目录",
                    SERIES_NAMES[(series_number - 1) % len(SERIES_NAMES)],
                    "",
                    f"{start}—{end}",
                    "",
                    "永久",
                    "",
                    "",
                    "",
                    self.status(),
                ]
                if self.random.random() < 0.3:
                    # Item-level arrangement (件): no files in this series.
                    for number in range(1, self.random.randint(50, 400) + 1):
                        year = self.random.randint(start, end)
                        yield self.item(f"{series}-{number:04d}", organisation, year)
                    continue
                for file_number in range(1, self.random.randint(20, 120) + 1):
                    file = f"{series}-{file_number:04d}"
                    year = self.random.randint(start, end)
                    yield [
                        file,
                        "案卷",
                        self.title(organisation, year),
                        organisation,
                        f"{year}年",
                        "",
                        "永久",
                        str(self.random.randint(10, 200)),
                        "",
                        "",
                        self.status(),
                    ]
                    # Some files are described only at file level.
                    if self.random.random() < 0.2:
                        continue
                    for number in range(1, self.random.randint(1, 15) + 1):
                        yield self.item(f"{file}-{number:04d}", organisation, year)


def write_catalogue(path, records, seed):
    rows = Catalogue(seed).rows()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for _count in range(records):
            writer.writerow(next(rows))


def peak_rss_mb():
    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1956)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument(
        "--database-url",
        help="An existing, migrated database (default: a fresh temporary SQLite).",
    )
    parser.add_argument("--profile", action="store_true", help="Profile the import.")
    parser.add_argument(
        "--again",
        action="store_true",
        help="Import the same file a second time: updates in place.",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the temporary files.")
    options = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        run(options, scratch)
    finally:
        if options.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def run(options, scratch):
    source = scratch / "catalogue.csv"
    started = time.perf_counter()
    write_catalogue(source, options.records, options.seed)
    print(
        f"generated {options.records:,} rows "
        f"({source.stat().st_size / 1024**2:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s"
    )

    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": options.database_url
            or f"sqlite:///{scratch / 'bench.sqlite3'}",
            "DEBUG": "false",  # DEBUG keeps every query in memory
            "HTTPS": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "MEDIA_ROOT": str(scratch / "media"),
            "CATALOGUE_FILES_ROOT": str(scratch / "catalogue-files"),
            "IMPORTS_ROOT": str(scratch / "imports"),
            "STATIC_ROOT": str(scratch / "static"),
            "SEARCH_LOCAL_PATH": str(scratch / "search"),
            "LOG_LEVEL": "WARNING",
        }
    )
    if not options.database_url:
        # In another process, so its memory does not count as the import's.
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
            check=True,
            cwd=ROOT,
        )

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from catalogue.importers.base import BATCH_SIZE, import_records
    from catalogue.importers.csv import read_csv
    from catalogue.models import Record, Repository

    repository, _created = Repository.objects.get_or_create(
        code="BENCH", defaults={"name": "基准测试档案馆"}
    )
    Record.objects.filter(repository=repository).delete()
    baseline = peak_rss_mb()

    started = time.perf_counter()
    parsed = sum(1 for _row in read_csv(source))
    parse_seconds = time.perf_counter() - started

    profiler = cProfile.Profile() if options.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    report = import_records(
        read_csv(source),
        repository,
        batch_size=options.batch_size or BATCH_SIZE,
    )
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started

    if not report.ok:
        print("\n".join(report.lines()[:20]))
        raise SystemExit("the import had problems")
    stored = Record.objects.filter(repository=repository).count()
    print(f"rows:             {report.rows:,}")
    print(f"stored:           {stored:,} (created {report.created:,})")
    print(f"not imported:     {sum(report.skipped.values()):,}")
    print(
        f"parsing only:     {parse_seconds:.2f} s "
        f"({parsed / parse_seconds:,.0f} rows/s)"
    )
    print(f"import seconds:   {seconds:.2f}")
    print(f"records/second:   {report.rows / seconds:,.0f}")
    peak = peak_rss_mb()
    print(f"peak RSS:         {peak:.0f} MB (before the import {baseline:.0f} MB)")
    if options.again:
        started = time.perf_counter()
        again = import_records(
            read_csv(source), repository, batch_size=options.batch_size or BATCH_SIZE
        )
        seconds = time.perf_counter() - started
        print(f"again, updated:   {again.updated:,} in {seconds:.2f} s")
        print(f"records/second:   {again.rows / seconds:,.0f}")
        print(f"peak RSS:         {peak_rss_mb():.0f} MB")
    if profiler:
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        print(stream.getvalue())


if __name__ == "__main__":
    main()
