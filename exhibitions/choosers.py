"""A searchable record chooser for exhibition blocks and thematic collections.

Records are not in Wagtail's search index (a city archive has millions), so
Wagtail's own chooser would offer no search box. This one searches the
database by reference code (档号) and title, as the catalogue's admin listing
does, and says for every record whether the public can see it.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from catalogue.models import Record


class RecordSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Reference code or title"),
        widget=forms.TextInput(attrs={"placeholder": _("Reference code or title")}),
        required=False,
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(
                Q(reference_code__icontains=query)
                | Q(title__icontains=query)
                | Q(title_en__icontains=query)
            )
            self.is_searching = True
            self.search_query = query
        return objects


class RecordChooseMixin:
    filter_form_class = RecordSearchForm

    def get_object_list(self):
        return Record.objects.select_related("repository").only(
            "id",
            "reference_code",
            "title",
            "level",
            "access_status",
            "gate_open",
            "gate_opens_on",
            "repository__code",
            "repository__name",
        )

    @property
    def columns(self):
        public = set(
            Record.objects.public()
            .filter(pk__in=[record.pk for record in self.results])
            .values_list("pk", flat=True)
        )
        return [
            self.title_column,
            Column("reference_code", label=_("Reference code")),
            Column("level", label=_("Level"), accessor="get_level_display"),
            Column(
                "public",
                label=_("Public"),
                accessor=lambda record: _("yes") if record.pk in public else _("no"),
            ),
        ]

    @property
    def title_column(self):
        column = super().title_column
        column.accessor = "title"
        return column


class RecordChooseView(RecordChooseMixin, chooser_views.ChooseView):
    pass


class RecordChooseResultsView(RecordChooseMixin, chooser_views.ChooseResultsView):
    pass


class RecordChooserViewSet(ChooserViewSet):
    model = Record
    icon = "doc-full"
    choose_one_text = _("Choose a record")
    choose_another_text = _("Choose another record")
    edit_item_text = _("Edit record")
    choose_view_class = RecordChooseView
    choose_results_view_class = RecordChooseResultsView
    per_page = 20
    # The catalogue's snippet chooser stays the default for other forms.
    register_widget = False


record_chooser_viewset = RecordChooserViewSet("record_chooser")
