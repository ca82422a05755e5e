"""Admin views for decisions about what the public may see, imports, and the
order of a record's files."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max
from django.db.models.fields.json import KT
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import (
    content_disposition_header,
    url_has_allowed_host_and_scheme,
)
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from . import import_report, signals, views
from .audit import log_withdrawal
from .iiif import tiles
from .importers.sources import FORMATS
from .models import AccessStatus, DigitalObject, ImportJob, PageText, Record, Repository
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


# A record's files and page texts -------------------------------------------------

# Rows a page of the record's files shows (the edit view shows the first page).
FILES_PER_PAGE = 50
# Characters of a page text shown beside its page number.
EXCERPT = 60
# A thumbnail is the smallest whole-page tile at least this wide.
THUMBNAIL_WIDTH = 160
FILES_REORDERED = "catalogue.files_reorder"


def record_for(request, pk, actions):
    """The record, when the editor may do one of `actions` ("view", "change")
    to it under the records' permission policy; else 403."""
    record = get_object_or_404(Record.objects.select_related("repository"), pk=pk)
    policy = policy_registry.get_by_type(Record)
    if not policy.user_has_any_permission_for_instance(request.user, actions, record):
        raise PermissionDenied
    return record


@dataclass
class FileRow:
    number: int  # its place among the record's files, as in its public URL
    item: DigitalObject
    text_number: int | None  # the page text that goes with a page image


def file_rows(record):
    """The record's files in their order, each page image with its page text
    paired as the public viewer pairs them (catalogue.views.digital_objects)."""
    images, others, _has_text = views.digital_objects(record)
    rows = [FileRow(page.image.number, page.image, page.text_number) for page in images]
    rows += [FileRow(item.number, item, None) for item in others]
    return sorted(rows, key=lambda row: row.number)


def files_context(record, files_page=1, texts_page=1):
    """What the files panel and the files page show: one page of files, one
    page of page texts, their counts."""
    rows = file_rows(record)
    files = Paginator(rows, FILES_PER_PAGE).get_page(files_page)
    texts = Paginator(
        record.pages.order_by("page_number")
        .annotate(excerpt=Substr("text", 1, EXCERPT))
        .values("page_number", "excerpt"),
        FILES_PER_PAGE,
    ).get_page(texts_page)
    return {
        "record": record,
        "files": files,
        "file_count": len(rows),
        "texts": texts,
        "text_count": texts.paginator.count,
    }


@require_GET
def record_files(request, pk):
    """All the files and page texts of a record, a page at a time."""
    record = record_for(request, pk, ["view", "change"])
    context = files_context(record, request.GET.get("p"), request.GET.get("tp"))
    context["can_reorder"] = can_change(request.user, record)
    return TemplateResponse(request, "catalogue/admin/record_files.html", context)


def can_change(user, record):
    policy = policy_registry.get_by_type(Record)
    return policy.user_has_permission_for_instance(user, "change", record)


class MoveForm(forms.Form):
    """Which file goes where: `move` is "<its number>:up", ":down" or ":to",
    the last with the place (1 = first) in `place-<its number>`."""

    move = forms.RegexField(regex=r"^[0-9]{1,9}:(up|down|to)$")

    def clean(self):
        cleaned = super().clean()
        if "move" not in cleaned:
            return cleaned
        number, _colon, direction = cleaned["move"].partition(":")
        cleaned["number"] = int(number)
        if direction == "up":
            cleaned["place"] = cleaned["number"] - 1
        elif direction == "down":
            cleaned["place"] = cleaned["number"] + 1
        else:
            place = forms.IntegerField(min_value=1, max_value=10**9)
            cleaned["place"] = place.clean(self.data.get(f"place-{number}"))
        return cleaned

    def destination(self, count):
        """(the file's number, its new place within 1…count)."""
        place = self.cleaned_data["place"]
        return self.cleaned_data["number"], max(1, min(place, count))


@require_POST
def move_file(request, pk):
    """Move one of a record's files to another place; every file is numbered
    again in the new order, in one transaction, and the move is logged."""
    record = record_for(request, pk, ["change"])
    form = MoveForm(request.POST)
    back = _back_url(request, record)
    if not form.is_valid():
        messages.error(request, _("Choose a file and where it should go."))
        return redirect(back)
    with transaction.atomic():
        # The record's files, locked: two editors moving at once wait in turn.
        ids = list(
            record.digital_objects.select_for_update()
            .order_by(*views.FILE_ORDER)
            .values_list("pk", flat=True)
        )
        number, place = form.destination(len(ids))
        if not 1 <= number <= len(ids):
            messages.error(request, _("That file is no longer there."))
            return redirect(back)
        if place != number:
            reorder_files(record, ids, number, place)
            log(
                instance=record,
                action=FILES_REORDERED,
                user=request.user,
                data={"from": number, "to": place, "files": len(ids)},
            )
            signals.announce_subtrees(Record, [record.pk])
    if place != number:
        messages.success(
            request,
            _("File %(number)d is now file %(place)d.")
            % {"number": number, "place": place},
        )
    return redirect(back)


def reorder_files(record, ids, number, place):
    """Put the `number`th of the record's files (`ids` in their order) at
    `place`, and keep each page image's text with it.

    Positions become 1, 2, … in the new order. A page text's number is the
    page of its image (a search hit opens #page=N), so the texts that go with
    page images are numbered again after their images' new pages.
    """
    pairs = {row.item.pk: row.text_number for row in file_rows(record)}
    moved = ids.pop(number - 1)
    ids.insert(place - 1, moved)
    DigitalObject.objects.bulk_update(
        [DigitalObject(pk=pk, position=index) for index, pk in enumerate(ids, 1)],
        ["position"],
        batch_size=500,
    )
    images = set(
        record.digital_objects.filter(kind=DigitalObject.Kind.IMAGE).values_list(
            "pk", flat=True
        )
    )
    pages = [pk for pk in ids if pk in images]
    renumbered = {
        pairs[pk]: page
        for page, pk in enumerate(pages, 1)
        if pairs.get(pk) is not None and pairs[pk] != page
    }
    _renumber_texts(record, renumbered)


def _renumber_texts(record, renumbered):
    """Give page texts new numbers ({old: new}), through numbers no text has,
    as a page number is unique within its record."""
    if not renumbered:
        return
    texts = dict(
        record.pages.filter(page_number__in=renumbered).values_list("page_number", "pk")
    )
    held = set(
        record.pages.filter(page_number__in=renumbered.values())
        .exclude(page_number__in=renumbered)
        .values_list("page_number", flat=True)
    )
    if held:
        # A text without an image holds a page an image now has: the texts
        # keep their numbers rather than take another's.
        return
    free = (record.pages.aggregate(Max("page_number"))["page_number__max"] or 0) + 1
    steps = [
        {pk: free + index for index, pk in enumerate(texts.values())},
        {texts[old]: new for old, new in renumbered.items() if old in texts},
    ]
    for numbers in steps:
        PageText.objects.bulk_update(
            [PageText(pk=pk, page_number=n) for pk, n in numbers.items()],
            ["page_number"],
            batch_size=500,
        )


def _back_url(request, record):
    """Where a move returns: the page it came from when that is one of ours."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return reverse("wagtailsnippets_catalogue_record:edit", args=[record.pk])


@require_GET
def record_file(request, pk, number):
    """A file of any record, for its editors (the public URL serves only
    records that pass the gate)."""
    record = record_for(request, pk, ["view", "change"])
    return views.digital_object_response(request, record, number)


@require_GET
def record_file_thumbnail(request, pk, number):
    """A page image small: its smallest whole-page tile that is wide enough,
    or the image itself while its tiles are still to be made."""
    record = record_for(request, pk, ["view", "change"])
    item = views.nth_digital_object(record, number)
    if item is None or item.kind != DigitalObject.Kind.IMAGE:
        raise Http404
    info = tiles.read_info(item) or {}
    sizes = [size for size in info.get("sizes", ()) if size["width"] >= THUMBNAIL_WIDTH]
    if sizes:
        smallest = min(sizes, key=lambda size: size["width"])
        name = tiles.tile_name(
            item.pk, "full", f"{smallest['width']},{smallest['height']}"
        )
        if item.file.storage.exists(name):
            return views.stored_file_response(
                request, item.file.storage, name, content_type="image/jpeg"
            )
    return views.digital_object_response(request, record, number)


@require_GET
def record_page_text(request, pk, page_number):
    record = record_for(request, pk, ["view", "change"])
    return views.page_text_response(record, page_number)
