"""Admin forms: what an archivist types, not how the database stores it."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Record

# The separators archivists use in lists of names and subject terms.
SEPARATORS = re.compile(r"[\n|;；、]+")


class ListField(forms.CharField):
    """A list of names or terms, one per line (| ; ；、 also separate)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [part.strip() for part in SEPARATORS.split(text) if part.strip()]


class RecordForm(WagtailAdminModelForm):
    creators = ListField(
        label=_("creators"), required=False, help_text=_("One per line.")
    )
    subjects = ListField(label=_("subjects"), required=False)
    names = ListField(label=_("personal names"), required=False)
    places = ListField(label=_("places"), required=False)

    class Meta:
        model = Record
        fields = "__all__"
