"""python manage.py search_index rebuild|check|replay|opened"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from catalogue.models import Record
from search import indexing, schema
from search.documents import indexable_pages
from search.engines import get_engine
from search.models import PendingUpdate


class Progress:
    """A one-line progress bar on stderr (plain lines when not a terminal)."""

    def __init__(self, stream, label, total):
        self.stream, self.label, self.total = stream, label, max(total, 1)
        self.done = 0
        self.started = time.monotonic()
        self.tty = stream.isatty()
        self.last_line = 0.0

    def __call__(self, count):
        self.done += count
        now = time.monotonic()
        if not self.tty and now - self.last_line < 5 and self.done < self.total:
            return
        self.last_line = now
        share = min(1.0, self.done / self.total)
        bar = "#" * int(share * 30)
        rate = self.done / max(now - self.started, 1e-6)
        line = (
            f"{self.label} [{bar:<30}] {self.done:,}/{self.total:,} ({share:.0%})"
            f" {rate:,.0f}/s"
        )
        self.stream.write(
            ("\r" if self.tty else "") + line + ("" if self.tty else "\n")
        )
        self.stream.flush()

    def close(self):
        if self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = (
        "Rebuild the public search indexes from the database, check them for "
        "drift, replay updates the engine missed, or index records opened today."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="Build aside, then swap in.")
        rebuild.add_argument(
            "--index", choices=schema.INDEXES, action="append", dest="indexes"
        )
        check = sub.add_parser("check", help="Report drift between database and index.")
        check.add_argument(
            "--index", choices=schema.INDEXES, action="append", dest="indexes"
        )
        check.add_argument("--show", type=int, default=10, help="ids to list")
        sub.add_parser("replay", help="Send the recorded failed updates again.")
        sub.add_parser("opened", help="Index records whose opening day has come.")

    def handle(self, *args, action, **options):
        engine = get_engine()
        health = engine.health()
        if not health.ok:
            raise CommandError(
                f"The {engine.name} engine is not available: {health.detail}"
            )
        getattr(self, f"do_{action}")(engine, **options)

    def do_rebuild(self, engine, indexes=None, **options):
        for index in indexes or schema.INDEXES:
            if index == schema.CATALOGUE:
                total = Record.objects.public().count()
            else:
                total = indexable_pages().count()
            progress = Progress(sys.stderr, index, total)
            started = time.monotonic()
            count = indexing.rebuild(index, engine, progress=progress)
            progress.close()
            took = time.monotonic() - started
            self.stdout.write(
                f"{index}: {count:,} documents for {total:,} records or pages"
                f" in {took:.1f} s, swapped in ({engine.name})."
            )

    def do_check(self, engine, indexes=None, show=10, **options):
        clean = True
        for index in indexes or schema.INDEXES:
            missing, extra = indexing.drift(index, engine)
            if not missing and not extra:
                self.stdout.write(f"{index}: in step with the database.")
                continue
            clean = False
            self.stdout.write(
                f"{index}: {len(missing):,} documents missing from the index,"
                f" {len(extra):,} in the index that should not be there."
            )
            for name, ids in (("missing", missing), ("extra", extra)):
                if ids:
                    self.stdout.write(f"  {name}: {', '.join(sorted(ids)[:show])}")
        pending = PendingUpdate.objects.count()
        if pending:
            clean = False
            self.stdout.write(f"{pending:,} failed updates wait for replay.")
        if not clean:
            raise CommandError(
                "The index has drifted: run `search_index replay` or"
                " `search_index rebuild`."
            )

    def do_replay(self, engine, **options):
        done, failed = indexing.replay(engine=engine)
        left = PendingUpdate.objects.count()
        self.stdout.write(f"{done} updates replayed, {left} still waiting.")
        if failed:
            raise CommandError("The engine refused an update; see the log.")

    def do_opened(self, engine, **options):
        count = indexing.index_opened(engine=engine)
        self.stdout.write(f"{count} records opened since the last run were indexed.")
