"""EAD benchmark: one large finding aid through the EAD reader and the import.

    .venv/bin/python -m bench.ead --scale 100k [--profile] [--seed 1956]
    .venv/bin/python bench/run.py --scale 100k --only ead

Step "ead" of bench/run.py, and a command of its own that does not need the
generated catalogue (bench/datagen), only this file's generator. The finding
aid is one EAD 2002 file of `scale` components, as an archive's system exports
a large fonds: numbered components c01 (series) > c02 (files) > c03 (items) >
c04 (parts of items); notes in mixed content (paragraphs, line breaks,
emphasis, lists, chronologies, links), dates as written and normalised,
extents, containers; some components without a unitid or a level, as real
finding aids have them (derived and reported); a tenth of the series closed,
some files controlled, some items waiting for an opening date.

A worker process of its own (`python -m bench.ead --worker …`) on a fresh
migrated SQLite database first reads the file alone (`read_ead`: the reader's
speed), then imports it (`import_records(read_ead(…))`, as `manage.py
import_catalogue` does). Components per second count every component of the
file, stored or not. Peak RSS is the worker's whole process (`getrusage`),
Django included; "over baseline" is what reading, then importing, added to the
process as it was before. --profile writes a cProfile of the reading to the
run's work directory (profile-ead-read.txt).
"""

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.core import (  # noqa: E402
    PYTHON,
    BenchError,
    Row,
    log,
    options,
    step,
    worker_figures,
)

# Bumped when the generated file changes, so an old one is made again.
GENERATOR_VERSION = 1
REPOSITORY = "990199"
NAMESPACE = "urn:isbn:1-931666-22-9"
XLINK = "http://www.w3.org/1999/xlink"

BODIES = ["临江市港务局", "临江市建设局", "临江市商业局", "临江市粮食局"]
TOPICS = [
    "码头扩建",
    "货物查验",
    "关税征收",
    "防汛抗旱",
    "粮食统购",
    "城市规划",
    "道路修建",
    "卫生防疫",
    "职工教育",
    "物资调拨",
]
KINDS = ["请示", "报告", "通知", "批复", "会议记录", "统计表", "函"]
PEOPLE = ["李明", "王建国", "陈敬之", "张秀英", "刘德华"]


@options
def add_options(parser):
    group = parser.add_argument_group("ead")
    group.add_argument(
        "--ead-profile",
        action="store_true",
        help="cProfile the EAD reader (ead step)",
    )


@step("ead", order=12, about="one large EAD finding aid: components/s, peak RSS")
def ead_step(context):
    path = ensure_file(context.data.parent / "ead", context.scale, context.seed)
    database = context.fresh_database("ead")
    profile = context.work / "profile-ead-read.txt" if _profiling(context) else None
    figures = run_worker(context, database, path, profile=profile)
    for suffix in ("", "-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    return rows_of(figures, path)


def _profiling(context):
    return getattr(context.options, "ead_profile", False)


def rows_of(figures, path):
    size = path.stat().st_size / 1024**2
    rows = []
    for phase, what in (
        ("read", f"EAD reading only ({size:,.0f} MB file)"),
        ("import", "EAD import, one file"),
    ):
        found = figures[phase]
        rows.append(
            Row(
                what,
                {
                    "components": found["components"],
                    "stored": found.get("stored"),
                    "seconds": found["seconds"],
                    "components/s": found["components"] / found["seconds"],
                    "CPU s": found["cpu_seconds"],
                    "components/CPU s": found["components"] / found["cpu_seconds"],
                    "peak RSS MB": found["peak_rss_mb"],
                    "over baseline MB": found["peak_rss_mb"]
                    - figures["baseline_rss_mb"],
                },
            )
        )
    return rows


def run_worker(context, database, path, *, profile=None):
    command = [PYTHON, "-m", "bench.ead", "--worker", str(path)]
    if profile:
        command += ["--profile-to", str(profile)]
    log(f"reading and importing {path.name} …")
    figures = worker_figures(context, database, command, "EAD worker")
    if figures.get("problems"):
        raise BenchError(
            "the EAD import had problems:\n" + "\n".join(figures["problems"])
        )
    for phase in ("read", "import"):
        found = figures[phase]
        log(
            f"  ead {phase}: {found['components']:,} components in "
            f"{found['seconds']:.1f} s ({found['components'] / found['seconds']:,.0f}"
            f"/s, CPU {found['cpu_seconds']:.1f} s, peak RSS "
            f"{found['peak_rss_mb']:.0f} MB)"
        )
    return figures


# The finding aid ------------------------------------------------------------------


def ensure_file(directory, components, seed):
    """The generated finding aid, made unless an identical one is there."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"fonds-{components}-seed{seed}-v{GENERATOR_VERSION}.xml"
    if not path.exists():
        log(f"generating an EAD finding aid of {components:,} components …")
        partial = path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as file:
            written = write_finding_aid(file, components, seed)
        partial.rename(path)
        log(f"  {written:,} components, {path.stat().st_size / 1024**2:,.0f} MB")
    return path


def write_finding_aid(file, components, seed):
    """Write `components` components (the archdesc counted) to `file`."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, repeatable)
    body = BODIES[0]
    file.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<ead xmlns="{NAMESPACE}" xmlns:xlink="{XLINK}">\n'
        f'<eadheader><eadid countrycode="CN" mainagencycode="{REPOSITORY}">'
        f"{REPOSITORY}-J0001</eadid><filedesc><titlestmt><titleproper>{body}档案目录"
        "</titleproper></titlestmt></filedesc></eadheader>\n"
        '<archdesc level="fonds">\n'
        f"<did><unitid>J0001</unitid><unittitle>{body}</unittitle>"
        '<unitdate normal="1949/1989">1949—1989</unitdate>'
        f"<origination><corpname>{body}</corpname></origination>"
        "<physdesc><extent>1,200卷</extent></physdesc>"
        "<langmaterial><language>中文</language></langmaterial></did>\n"
        "<accessrestrict><head>Conditions Governing Access</head><p>开放</p>"
        "</accessrestrict>\n"
        "<bioghist><head>Biographical / Historical</head>"
        f"<p>{body}成立于1949年，<emph render='bold'>1958年</emph>改组。<lb/>"
        "1984年并入市交通局。</p>"
        "<chronlist><chronitem><date>1949年</date><event>成立</event></chronitem>"
        "<chronitem><date>1958年</date><eventgrp><event>改组</event>"
        "<event>迁址</event></eventgrp></chronitem></chronlist></bioghist>\n"
        f"<scopecontent><p>本全宗收录{body}1949年至1989年的文书档案。</p>"
        "<p>主要内容：</p><list><item>码头建设</item><item>货物运输</item>"
        "</list></scopecontent>\n"
        "<dsc>\n"
    )
    written = 1
    series = 0
    while written < components:
        series += 1
        written = _series(file, rng, series, written, components)
    file.write("</dsc>\n</archdesc>\n</ead>\n")
    return written


def _series(file, rng, number, written, limit):
    topic = rng.choice(TOPICS)
    closed = rng.random() < 0.1
    file.write(
        f'<c01 level="series"><did><unitid>{number:03d}</unitid>'
        f"<unittitle>{topic}类</unittitle></did>\n"
        + (
            "<accessrestrict><p>不开放</p></accessrestrict>\n"
            if closed
            else "<accessrestrict><p>开放</p></accessrestrict>\n"
        )
        + f"<arrangement><p>按年度排列：</p><list type='ordered'>"
        f"<item>{topic}计划</item><item>{topic}总结</item></list></arrangement>\n"
    )
    written += 1
    for file_number in range(1, 21):
        if written >= limit:
            break
        written = _file(file, rng, topic, file_number, written, limit)
    file.write("</c01>\n")
    return written


def _file(file, rng, topic, number, written, limit):
    year = rng.randint(1949, 1989)
    controlled = rng.random() < 0.03
    pages = rng.randint(2, 120)
    file.write(
        f'<c02 level="file"><did><unitid>{number:04d}</unitid>'
        f"<unittitle>{year}年{topic}文件</unittitle>"
        f'<unitdate normal="{year}-01/{year}-12">{year}年1月至12月</unitdate>'
        f"<physdesc><extent>{pages}页</extent></physdesc>"
        f'<container type="box">{rng.randint(1, 400)}</container></did>\n'
        + ("<accessrestrict><p>控制使用</p></accessrestrict>\n" if controlled else "")
        + f"<scopecontent><p>{year}年{topic}工作的请示、报告和批复。<lb/>"
        f"附<title render='italic'>{topic}统计表</title>。</p></scopecontent>\n"
    )
    written += 1
    for item_number in range(1, rng.randint(3, 13) + 1):
        if written >= limit:
            break
        written = _item(file, rng, topic, year, item_number, written, limit)
    file.write("</c02>\n")
    return written


def _item(file, rng, topic, year, number, written, limit):
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    kind = rng.choice(KINDS)
    person = rng.choice(PEOPLE)
    # Real finding aids identify many items by their place alone.
    unitid = "" if rng.random() < 0.05 else f"<unitid>{number:04d}</unitid>"
    waiting = rng.random() < 0.02
    parts = [
        f'<c03 level="item"><did>{unitid}'
        f"<unittitle>关于{topic}的{kind}</unittitle>"
        f'<unitdate normal="{year}-{month:02d}-{day:02d}">'
        f"{year}年{month}月{day}日</unitdate>"
        f"<origination><persname>{person}</persname></origination>"
        f"<physdesc><extent>{rng.randint(1, 30)}页</extent></physdesc></did>\n"
    ]
    if waiting:
        parts.append("<accessrestrict><p>2099年1月1日起开放</p></accessrestrict>\n")
    parts.append(
        f"<scopecontent><p>{person}就{topic}问题提出{kind}，"
        f"<emph render='italic'>请予审批</emph>。</p></scopecontent>\n"
        f"<controlaccess><subject>{topic}</subject>"
        f"<persname>{person}</persname></controlaccess>\n"
    )
    if rng.random() < 0.1:
        parts.append(
            "<odd><p>原件有破损。<lb/>已修复。</p></odd>\n"
            if rng.random() < 0.5
            else "<relatedmaterial><p>另见 <extref xlink:href="
            f'"https://archives.example.org/{topic}">{escape(topic)}专题</extref>。'
            "</p></relatedmaterial>\n"
        )
    file.write("".join(parts))
    written += 1
    if rng.random() < 0.2:
        for part in range(1, rng.randint(1, 4) + 1):
            if written >= limit:
                break
            # Some parts say no level: read as items from their place.
            level = "" if rng.random() < 0.3 else ' level="item"'
            file.write(
                f"<c04{level}><did><unitid>{part:02d}</unitid>"
                f"<unittitle>附件{part}</unittitle></did></c04>\n"
            )
            written += 1
    file.write("</c03>\n")
    return written


# The worker -----------------------------------------------------------------------


def peak_rss_mb():
    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(path, profile_to=None):
    import django

    django.setup()
    from catalogue.importers.base import Problem, RecordRow, import_records
    from catalogue.importers.ead import read_ead
    from catalogue.models import Record, Repository

    repository, _created = Repository.objects.get_or_create(
        code=REPOSITORY,
        defaults={"name": "临江市档案馆（基准）", "name_en": "Benchmark archive"},
    )
    out = {"baseline_rss_mb": peak_rss_mb()}

    profiler = None
    if profile_to:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    components = problems = 0
    for row in read_ead(path):
        if isinstance(row, RecordRow):
            components += 1
        elif isinstance(row, Problem):
            problems += 1
    out["read"] = {
        "components": components,
        "problems": problems,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "peak_rss_mb": peak_rss_mb(),
    }
    if profiler:
        profiler.disable()
        import io
        import pstats

        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(30)
        Path(profile_to).write_text(stream.getvalue())

    started, cpu = time.perf_counter(), time.process_time()
    report = import_records(read_ead(path), repository)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if not report.committed:
        out["problems"] = report.lines()[:30]
    stored = Record.objects.filter(repository=repository)
    out["import"] = {
        "components": report.rows,
        "stored": stored.count(),
        "public": stored.public().count(),
        "notices": report.notice_count,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mb": peak_rss_mb(),
    }
    print(json.dumps(out))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scale", default="10k", help="1k, 10k, 100k, 1m or a number")
    parser.add_argument("--seed", type=int, default=1956)
    parser.add_argument("--profile", action="store_true", help="cProfile the reader")
    arguments = parser.parse_args(argv)
    if arguments.worker:
        worker(arguments.worker, arguments.profile_to)
        return
    from bench import core
    from bench.datagen.catalogue import parse_scale, scale_label

    scale = parse_scale(arguments.scale)
    var = ROOT / "var" / "bench"
    context = core.Context(
        scale=scale,
        seed=arguments.seed,
        wide=None,
        data=var / "data",
        work=var / "runs" / f"ead-{scale_label(scale)}-seed{arguments.seed}",
        options=argparse.Namespace(ead_profile=arguments.profile),
    )
    machine = core.machine()
    print(
        f"## EAD, {scale:,} components (seed {arguments.seed})\n\n"
        f"Machine: {machine['cpu']}, {machine['cores']} cores; Python "
        f"{machine['python']}, SQLite {machine['sqlite']}; load average at start "
        f"{machine['load']}; {machine['when']}\n"
    )
    print(core.table(ead_step(context)))
    if arguments.profile:
        print(f"\nprofile: {context.work / 'profile-ead-read.txt'}")


if __name__ == "__main__":
    main()
