"""Background work of the catalogue: imports started from the admin, and the
IIIF tiles of page images (catalogue/iiif/tiles.py)."""

import logging
import shutil
import tempfile
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .iiif import tiles
from .importers.base import ImportReport, Problem, import_records
from .importers.sources import BundleError, count_rows, open_source, read_rows
from .models import ImportJob

logger = logging.getLogger(__name__)

# Problems, warnings and rows for review kept on the job, for its page and its
# CSV download (of each; the counts count them all). A million-row file can
# have as many: the first thousands say what to correct.
REPORT_LISTED = 5_000


def _local_name(job):
    """The upload's own name for the local copy: the reader names it in every
    problem, and storage may have added a suffix to the stored one."""
    name = Path(job.file_name).name
    if not name or len(name.encode()) > 200:
        name = Path(job.file.name).name
    return name


def _refused(job, message):
    """The report of an import that could not start: one problem."""
    report = ImportReport(dry_run=job.dry_run)
    report.add_problem(Problem(job.file_name, "", message))
    return report


@task()
def run_import(job_id: int, language: str = "zh-hans"):
    job = ImportJob.objects.select_related("repository", "created_by").get(pk=job_id)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(rows):
        ImportJob.objects.filter(pk=job.pk).update(rows_read=rows)

    with translation.override(language), tempfile.TemporaryDirectory() as scratch:
        try:
            # The upload may live in object storage: work on a local copy.
            local = Path(scratch) / _local_name(job)
            with job.file.open("rb") as source, local.open("wb") as copy:
                shutil.copyfileobj(source, copy, 1024 * 1024)
            with open_source(local, job.format or None) as (metadata, fmt, bundle):
                ImportJob.objects.filter(pk=job.pk).update(
                    rows_expected=count_rows(metadata, fmt)
                )
                report = import_records(
                    read_rows(metadata, fmt, bundle),
                    job.repository,
                    dry_run=job.dry_run,
                    bundle=bundle,
                    user=job.created_by,
                    progress=progress,
                    default_access=job.default_access or None,
                    replace=job.replace,
                    max_listed=REPORT_LISTED,
                )
        except BundleError as error:
            report = _refused(job, str(error))
        except Exception:
            # Nothing was saved (the import is one transaction); the job must
            # not stay "importing" for ever.
            logger.exception("catalogue import %s stopped", job.pk)
            report = _refused(
                job,
                _(
                    "the import stopped because of an error in the portal, and "
                    "nothing was imported; the administrators can find the "
                    "cause in the portal's log"
                ),
            )
        data = report.as_data()
    ok = report.ok
    job.refresh_from_db(fields=["rows_read", "rows_expected"])
    job.report = data
    job.status = ImportJob.Status.DONE if ok else ImportJob.Status.FAILED
    job.finished_at = timezone.now()
    # The upload may describe closed records: it is not kept once read.
    job.file.delete(save=False)
    job.save(update_fields=["report", "status", "finished_at", "file"])
    return ok


@task()
def make_tiles(object_id: int):
    """The IIIF tiles of one page image; queued once its import committed."""
    return tiles.make_for(object_id)
