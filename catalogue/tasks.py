"""Background work of the catalogue: imports started from the admin."""

import tempfile
from pathlib import Path

from django.utils import timezone, translation
from django_tasks import task

from .importers.base import import_records
from .importers.sources import BundleError, count_rows, open_source, read_rows
from .models import ImportJob


@task()
def run_import(job_id: int, language: str = "zh-hans"):
    job = ImportJob.objects.select_related("repository", "created_by").get(pk=job_id)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(rows):
        ImportJob.objects.filter(pk=job.pk).update(rows_read=rows)

    with translation.override(language), tempfile.TemporaryDirectory() as scratch:
        # The upload may live in object storage: work on a local copy.
        local = Path(scratch) / Path(job.file.name).name
        with job.file.open("rb") as source:
            local.write_bytes(source.read())
        try:
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
                )
                lines, ok = report.lines(), report.ok
        except BundleError as error:
            lines, ok = [str(error)], False
    job.refresh_from_db(fields=["rows_read", "rows_expected"])
    job.report = lines
    job.status = ImportJob.Status.DONE if ok else ImportJob.Status.FAILED
    job.finished_at = timezone.now()
    # The upload may describe closed records: it is not kept once read.
    job.file.delete(save=False)
    job.save(update_fields=["report", "status", "finished_at", "file"])
    return ok
