"""Make the IIIF tiles of page images that have none, or outdated ones.

    python manage.py make_tiles [--repository CODE] [--force] [--clean]

Imports queue the tiles of the images they store (catalogue/iiif/tiles.py);
this command makes whatever is missing: images stored before IIIF came, or
whose task was lost. It is idempotent: an image whose tiles were made from
its current file is skipped, so a run that stopped can simply be run again.
`--clean` also deletes the tiles of objects that no longer exist (their
record's files were replaced by a later import). docs/iiif.md.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from catalogue.iiif import tiles
from catalogue.models import DigitalObject, Repository

BATCH = 500
REPORT_SECONDS = 5


class Command(BaseCommand):
    help = "Make the IIIF tiles of page images that have none (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--repository", help="Only the images of this repository (its code)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Make the tiles again even where they are up to date.",
        )
        parser.add_argument(
            "--clean",
            action="store_true",
            help="Also delete the tiles of objects that no longer exist.",
        )

    def handle(self, *args, repository=None, force=False, clean=False, **options):
        images = DigitalObject.objects.filter(kind=DigitalObject.Kind.IMAGE)
        if repository:
            found = Repository.objects.filter(code=repository).first()
            if found is None:
                raise CommandError(f"No repository has the code {repository!r}.")
            images = images.filter(record__repository=found)
        total = images.count()
        counts = {"made": 0, "current": 0, "failed": 0}
        progress = _Progress(sys.stderr, total)
        last = 0
        # Keyset by id: a million images never sit in memory together.
        while batch := list(images.filter(pk__gt=last).order_by("pk")[:BATCH]):
            for item in batch:
                if not force and tiles.is_current(item):
                    counts["current"] += 1
                elif tiles.make(item, force=True):
                    counts["made"] += 1
                else:
                    counts["failed"] += 1
                progress.step(counts)
            last = batch[-1].pk
        progress.close(counts)
        self.stdout.write(
            f"{total:,} page images: tiles made for {counts['made']:,}, "
            f"{counts['current']:,} already up to date, "
            f"{counts['failed']:,} not readable as images."
        )
        if clean:
            self.stdout.write(f"Deleted the tiles of {self.clean():,} old objects.")

    def clean(self):
        tiled = tiles.tiled_object_ids()
        removed = 0
        for start in range(0, len(tiled), BATCH):
            chunk = tiled[start : start + BATCH]
            alive = set(
                DigitalObject.objects.filter(
                    pk__in=chunk, kind=DigitalObject.Kind.IMAGE
                ).values_list("pk", flat=True)
            )
            for object_id in chunk:
                if object_id not in alive:
                    tiles.remove(object_id)
                    removed += 1
        return removed


class _Progress:
    """ "n of N" on stderr: one line redrawn on a terminal, a line every few
    seconds otherwise (a log)."""

    def __init__(self, stream, total):
        self.stream, self.total = stream, total
        self.done = 0
        self.tty = stream.isatty()
        self.last = 0.0

    def step(self, counts):
        self.done += 1
        now = time.monotonic()
        if now - self.last < (0.2 if self.tty else REPORT_SECONDS):
            return
        self.last = now
        self.write(counts)

    def write(self, counts):
        line = (
            f"tiles: {self.done:,} of {self.total:,} images "
            f"({counts['made']:,} made, {counts['current']:,} up to date)"
        )
        self.stream.write(f"\r{line}" if self.tty else f"{line}\n")
        self.stream.flush()

    def close(self, counts):
        if self.total:
            self.write(counts)
            if self.tty:
                self.stream.write("\n")
