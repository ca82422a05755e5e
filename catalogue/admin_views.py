"""Admin views for decisions about what the public may see, and imports."""

import csv
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.db.models.fields.json import KT
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.admin import messages

from . import import_report
from .audit import log_withdrawal
from .importers.sources import FORMATS
from .models import AccessStatus, ImportJob, Record, Repository
from .tasks import run_import


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for withdrawal"),
        max_length=255,
        help_text=gettext_lazy("Kept in the audit log and shown to no one else."),
    )


@permission_required("catalogue.change_record", raise_exception=True)
def withdraw(request, pk):
    """Withdraw a record and its subtree, after showing what will disappear."""
    record = get_object_or_404(Record, pk=pk)
    subtree = Record.objects.subtree(record)
    if record.withdrawn:
        return _restore(request, record, subtree)
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hidden = subtree.public().count()
        record.withdrawn = True
        record.withdrawal_reason = form.cleaned_data["reason"]
        record.save()
        log_withdrawal(record, user=request.user, hidden=hidden)
        messages.success(
            request,
            _("%(record)s withdrawn: %(count)d records are no longer public.")
            % {"record": record.reference_code, "count": hidden},
        )
        return redirect("wagtailsnippets_catalogue_record:edit", record.pk)
    return TemplateResponse(
        request,
        "catalogue/admin/withdraw.html",
        {
            "record": record,
            "form": form,
            "public_count": subtree.public().count(),
            "subtree_count": subtree.count(),
        },
    )


def _restore(request, record, subtree):
    if request.method == "POST":
        record.withdrawn = False
        record.withdrawal_reason = ""
        record.save()
        shown = subtree.public().count()
        log_withdrawal(record, user=request.user, hidden=shown)
        messages.success(
            request,
            _("%(record)s restored: %(count)d records are public again.")
            % {"record": record.reference_code, "count": shown},
        )
        return redirect("wagtailsnippets_catalogue_record:edit", record.pk)
    return TemplateResponse(
        request,
        "catalogue/admin/restore.html",
        {"record": record, "subtree_count": subtree.count()},
    )


# The names of the formats the readers know (importers/sources.py).
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel (.xlsx)", "ead": "EAD"}


class ImportForm(forms.Form):
    repository = forms.ModelChoiceField(
        label=gettext_lazy("Repository"), queryset=Repository.objects.all()
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        max_length=ImportJob._meta.get_field("file_name").max_length,
        help_text=gettext_lazy(
            "A CSV, Excel (.xlsx) or EAD file, or a zip of a folder holding one "
            "beside the scans and text files it names."
        ),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("", gettext_lazy("From the file name"))]
        + [(name, FORMAT_NAMES[name]) for name in dict.fromkeys(FORMATS.values())],
        required=False,
    )
    default_access = forms.BooleanField(
        label=gettext_lazy("A finding aid that says nothing about access is open"),
        help_text=gettext_lazy(
            "Without it, a top record whose file says nothing about access is "
            "listed for review and not imported; the records below it follow it."
        ),
        required=False,
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Replace the descriptions of existing records"),
        help_text=gettext_lazy(
            "Without it, a record already in the catalogue keeps what the file "
            "leaves empty (notes only a finding aid had); with it, the file's "
            "empty fields are emptied."
        ),
        required=False,
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only, import nothing"), required=False
    )


@permission_required("catalogue.add_importjob", raise_exception=True)
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            repository=form.cleaned_data["repository"],
            file=upload,
            file_name=Path(upload.name).name,
            format=form.cleaned_data["format"],
            default_access=AccessStatus.OPEN
            if form.cleaned_data["default_access"]
            else "",
            replace=form.cleaned_data["replace"],
            dry_run=form.cleaned_data["dry_run"],
            created_by=request.user,
        )
        run_import.enqueue(job.pk, language=get_language())
        return redirect("catalogue_import_job", job.pk)
    # A report can be long: only its status and problem count are read.
    recent = list(
        ImportJob.objects.select_related("repository")
        .defer("report")
        .annotate(outcome=KT("report__status"), problems=KT("report__counts__problems"))
        .order_by("-created_at")[:10]
    )
    for job in recent:
        summary = {
            "status": job.outcome,
            "counts": {"problems": int(job.problems or 0)},
        }
        job.status_line = _status_line(job, summary)
    return TemplateResponse(
        request,
        "catalogue/admin/import_start.html",
        {"form": form, "recent": recent, "guides": _guides()},
    )


def _status_line(job, data):
    """The job's status; once finished, what became of its import."""
    if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        return job.get_status_display()
    if not data.get("status"):  # a report kept from before reports were data
        return job.get_status_display()
    return import_report.status_line(data)


@permission_required("catalogue.add_importjob", raise_exception=True)
def import_job(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("repository"), pk=pk)
    running = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    data = job.report if isinstance(job.report, dict) else {"lines": job.report}
    return TemplateResponse(
        request,
        "catalogue/admin/import_job.html",
        {
            "job": job,
            "running": running,
            "status_line": _status_line(job, data),
            "can_add_wordings": request.user.has_perm("catalogue.add_accesswording"),
            **({} if running else import_report.page(data)),
        },
    )


class _Echo:
    """What csv.writer writes to, handing each line back to be streamed."""

    def write(self, value):
        return value


@permission_required("catalogue.add_importjob", raise_exception=True)
def import_report_csv(request, pk):
    """Every problem, warning and row for review of an import, as CSV in UTF-8
    with the BOM Excel needs to read Chinese."""
    job = get_object_or_404(ImportJob, pk=pk)
    data = job.report if isinstance(job.report, dict) else {"lines": job.report}
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    # Streamed after the view has returned, outside the admin's language.
    language = get_language()

    def lines():
        yield "\ufeff"
        with translation.override(language):
            for row in import_report.csv_rows(data, job.file_name):
                yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"import-{job.pk}-report.csv"
    )
    return response


@permission_required("catalogue.add_importjob", raise_exception=True)
def import_template(request, kind):
    """Our DA/T 18 template, as CSV or as an Excel workbook."""
    # As sources.read_rows does: a reader is imported when it is needed.
    from .importers.csv import template_csv
    from .importers.xlsx import TEMPLATE_EXAMPLES, template_workbook

    if kind == "csv":
        content = template_csv(TEMPLATE_EXAMPLES)
        content_type = "text/csv; charset=utf-8"
    elif kind == "xlsx":
        content = template_workbook()
        content_type = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"catalogue-template.{kind}"
    )
    return response


# The guides an editor may read from the import page: docs/ of the portal's
# source, shown as the text they are (Markdown reads as plain text).
GUIDES = {
    "importing": ("importing.md", gettext_lazy("Importing catalogues")),
    "importing-excel": ("importing-excel.md", gettext_lazy("Excel workbooks")),
    "importing-ead": ("importing-ead.md", gettext_lazy("EAD finding aids")),
    "access-wordings": ("access-wordings.md", gettext_lazy("Access wordings")),
}
DOCS = Path(settings.BASE_DIR) / "docs"


def _guides():
    """(slug, title, path in the source) of the guides this installation has."""
    return [
        {"slug": slug, "title": title, "path": f"docs/{name}"}
        for slug, (name, title) in GUIDES.items()
        if (DOCS / name).is_file()
    ]


@permission_required("catalogue.add_importjob", raise_exception=True)
def import_guide(request, slug):
    try:
        name, _title = GUIDES[slug]
        text = (DOCS / name).read_text(encoding="utf-8")
    except (KeyError, OSError):
        raise Http404 from None
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
