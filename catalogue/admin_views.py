"""Admin views for decisions about what the public may see."""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.admin import messages

from .audit import log_withdrawal
from .models import ImportJob, Record, Repository
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


class ImportForm(forms.Form):
    repository = forms.ModelChoiceField(
        label=gettext_lazy("Repository"), queryset=Repository.objects.all()
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "A CSV or EAD file, or a zip of a folder holding one beside the scans "
            "and text files it names."
        ),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            ("", gettext_lazy("From the file name")),
            ("csv", "CSV"),
            ("ead", "EAD"),
        ],
        required=False,
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only, import nothing"), required=False
    )


@permission_required("catalogue.add_importjob", raise_exception=True)
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = ImportJob.objects.create(
            repository=form.cleaned_data["repository"],
            file=form.cleaned_data["file"],
            format=form.cleaned_data["format"],
            dry_run=form.cleaned_data["dry_run"],
            created_by=request.user,
        )
        run_import.enqueue(job.pk, language=get_language())
        return redirect("catalogue_import_job", job.pk)
    return TemplateResponse(
        request,
        "catalogue/admin/import_start.html",
        {"form": form, "recent": ImportJob.objects.select_related("repository")[:10]},
    )


@permission_required("catalogue.add_importjob", raise_exception=True)
def import_job(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("repository"), pk=pk)
    running = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    return TemplateResponse(
        request, "catalogue/admin/import_job.html", {"job": job, "running": running}
    )
