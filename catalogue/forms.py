"""Admin forms: what an archivist types, not how the database stores it."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

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


# Text fields an archivist fills in on one line (the model stores them as text
# of any length, as finding aids have them).
SINGLE_LINE = ("title", "title_en", "date_expression", "extent", "language")
DATES = ("date_start", "date_end", "opening_date")
# Normalised dates are typed and shown one way, ISO 8601, in every language
# and whatever WAGTAIL_DATE_FORMAT says; the date as written is its own field.
ISO_DATE = "%Y-%m-%d"


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
        labels = {"date_expression": _("Date as written")}
        help_texts = {
            "date_expression": _(
                "As the record writes it, e.g. 民国十九年十月. Searches and "
                "filters use the start and end dates."
            ),
            "date_start": _("YYYY-MM-DD"),
            "date_end": _("YYYY-MM-DD"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set here, not in Meta.widgets: Wagtail's panels pass widgets of
        # their own (the parent's chooser), which replace Meta's.
        for name in SINGLE_LINE:
            if name in self.fields:
                field = self.fields[name]
                single = forms.TextInput()
                # A model field with a max_length gives the input its maxlength.
                single.attrs.update(field.widget_attrs(single))
                field.widget = single
        for name in DATES:
            if name in self.fields:
                self.fields[name].widget = AdminDateInput(format=ISO_DATE)
