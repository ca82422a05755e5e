"""Admin views for decisions about what the public may see."""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from .audit import log_withdrawal
from .models import Record


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
