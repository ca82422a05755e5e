"""Import a catalogue (CSV, Excel or EAD, alone or in a bundle) into a repository.

    python manage.py import_catalogue PATH --repository CODE
        [--format csv|xlsx|ead] [--default-access open] [--replace]
        [--dry-run] [--progress] [--language en]

PATH is a metadata file, a bundle directory holding one metadata file at its
top level beside the digital objects it names, or a zip of such a directory.
Everything is validated before anything is written, and a file with problems
imports nothing (docs/importing.md).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from catalogue.importers.base import import_records
from catalogue.importers.sources import BundleError, count_rows, open_source, read_rows
from catalogue.models import Repository


class Command(BaseCommand):
    help = (
        "Import a catalogue (CSV, Excel or EAD file, bundle directory or zip) "
        "into a repository, all or nothing."
    )
    expected = None  # rows the progress bar counts towards, when known

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="CSV, Excel (.xlsx) or EAD file, bundle directory or zip."
        )
        parser.add_argument(
            "--repository",
            required=True,
            help="Code of the repository (档案馆代码) that holds the records.",
        )
        parser.add_argument(
            "--format",
            choices=["csv", "xlsx", "ead"],
            help="Format of the metadata file; by default from its extension.",
        )
        parser.add_argument(
            "--default-access",
            choices=["open"],
            help=(
                "Access of a top record whose file says nothing about access; "
                "without it such records are listed for review, not imported."
            ),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "Describe existing records by the file alone: fields it leaves "
                "empty are emptied. Without it they keep what they have."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report, but save nothing.",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show the progress counter even when stderr is not a terminal.",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the report (default: %(default)s).",
        )

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            self.run(options)

    def run(self, options):
        repository = self.repository(options["repository"])
        show_progress = options["progress"] or self.stderr.isatty()
        try:
            with open_source(Path(options["path"]), options["format"]) as source:
                metadata, fmt, bundle = source
                self.expected = count_rows(metadata, fmt) if show_progress else None
                report = import_records(
                    read_rows(metadata, fmt, bundle),
                    repository,
                    dry_run=options["dry_run"],
                    bundle=bundle,
                    progress=self.progress if show_progress else None,
                    default_access=options["default_access"],
                    replace=options["replace"],
                )
        except BundleError as error:
            raise CommandError(str(error)) from error
        if show_progress:
            self.stderr.write("", style_func=_plain)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(_("Nothing was imported: see the problems above."))
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))

    def repository(self, code):
        try:
            return Repository.objects.get(code=code)
        except Repository.DoesNotExist:
            known = ", ".join(
                f"{r.code} ({r.name})" for r in Repository.objects.order_by("code")
            )
            if not known:
                raise CommandError(
                    _("Unknown repository %(code)s; there are no repositories yet.")
                    % {"code": code}
                ) from None
            raise CommandError(
                _("Unknown repository %(code)s. Known repositories: %(known)s")
                % {"code": code, "known": known}
            ) from None

    def progress(self, rows):
        if self.expected:
            line = _("Rows read: %(rows)d of %(total)d (%(percent)d%%)") % {
                "rows": rows,
                "total": self.expected,
                "percent": min(100, 100 * rows // self.expected),
            }
        else:
            line = _("Rows read: %(rows)d") % {"rows": rows}
        self.stderr.write("\r" + line, style_func=_plain, ending="")
        self.stderr.flush()


def _plain(text):
    return text
