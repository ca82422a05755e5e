"""The catalogue in Wagtail's admin: browse by hierarchy, filter, edit, withdraw."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
)
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import LogFormatter
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

# The one record chooser, searching the database (records are not in Wagtail's
# search index). It lives with the exhibitions that first needed it; this is
# the catalogue's only import from there.
from exhibitions.choosers import (
    RecordChooseResultsView,
    RecordChooserViewSet,
    RecordChooseView,
    RecordSearchForm,
)

from . import admin_views, audit, reference
from .forms import RecordForm
from .models import AccessStatus, AccessWording, Level, Record, Repository


class RecordFilterSet(WagtailFilterSet):
    parent = django_filters.NumberFilter(
        field_name="parent_id", label=_("Within"), widget=forms.HiddenInput
    )
    top_level = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label=_("Top level only")
    )
    gate_open = django_filters.BooleanFilter(
        label=_("Open with all the records above it"),
    )

    class Meta:
        model = Record
        fields = ["repository", "level", "access_status", "withdrawn", "gate_open"]


class RepositoryScope:
    """Only the records of the repository the form has chosen
    (?repository=<id>, sent by the chooser's linked field): a parent belongs
    to the record's own archive. Anything else in the parameter is ignored."""

    def filter_object_list(self, objects):
        repository = self.request.GET.get("repository", "")
        if repository.isascii() and repository.isdigit():
            objects = objects.filter(repository_id=int(repository))
        return super().filter_object_list(objects)


# What the parent chooser lists at most: a few pages of the closest matches,
# never a count or a sort over a city archive's millions of records.
PARENT_MATCHES = 200
# The levels whose titles the parent chooser searches: a repository has a few
# thousand of them, read from the record_level index.
TITLED_PARENTS = (Level.FONDS, Level.SERIES)


def prefix_range(prefix):
    """[low, high) of the strings that begin with `prefix`, in code point order."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


class ParentSearchForm(RecordSearchForm):
    """A parent by the beginning of its reference code (档号), or a fonds or
    series by a word of its title. A record's parent is named by the beginning
    of the record's own code (J0001-001-0001 holds J0001-001-0001-0001), so the
    code is looked up as a range of the unique (repository, reference code)
    index; a word of a title anywhere in it cannot use an index, so titles are
    searched among fonds and series only, and neither search reads more than
    PARENT_MATCHES rows."""

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects[:PARENT_MATCHES]
        self.is_searching = True
        self.search_query = query
        # Every repository named, so the index's first column is used even
        # when the form has not chosen one yet.
        repositories = list(Repository.objects.values_list("pk", flat=True))
        found = []
        code = reference.normalise(query)
        if code:
            low, high = prefix_range(code)
            found += (
                objects.filter(
                    repository_id__in=repositories,
                    reference_code__gte=low,
                    reference_code__lt=high,
                )
                .order_by("repository_id", "reference_code")
                .values_list("pk", flat=True)[:PARENT_MATCHES]
            )
        found += (
            objects.filter(repository_id__in=repositories, level__in=TITLED_PARENTS)
            .filter(Q(title__icontains=query) | Q(title_en__icontains=query))
            .order_by()
            .values_list("pk", flat=True)[:PARENT_MATCHES]
        )
        return objects.filter(pk__in=found)[:PARENT_MATCHES]


class ParentChooseMixin(RepositoryScope):
    filter_form_class = ParentSearchForm


class ParentChooseView(ParentChooseMixin, RecordChooseView):
    pass


class ParentChooseResultsView(ParentChooseMixin, RecordChooseResultsView):
    pass


class ParentChooserViewSet(RecordChooserViewSet):
    """The record chooser, kept to one repository, for a record's parent.
    Every record is offered, open or not: a closed file still holds items."""

    choose_one_text = _("Choose the parent record")
    choose_another_text = _("Choose another parent record")
    choose_view_class = ParentChooseView
    choose_results_view_class = ParentChooseResultsView
    preserve_url_parameters = ["multiple", "repository"]


parent_chooser_viewset = ParentChooserViewSet("catalogue_parent_chooser")


@hooks.register("register_admin_viewset")
def register_parent_chooser():
    return parent_chooser_viewset


class RecordFilesPanel(Panel):
    """The record's files (thumbnails, labels, places, links) and page texts,
    with buttons that move a file. They submit the form outside the edit form
    (catalogue/admin/record_edit.html) that their `form` attribute names, so a
    move posts nothing of the record's fields and works without JavaScript."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "catalogue/admin/record_files_panel.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(admin_views.files_context(self.instance))
            # The page links ({% querystring %}) read the request.
            context["request"] = self.request
            context["can_reorder"] = admin_views.can_change(
                self.request.user, self.instance
            )
            context["files_url"] = reverse(
                "catalogue_record_files", args=[self.instance.pk]
            )
            return context


class RecordEditView(EditView):
    """Editing a record logs every change of its access status."""

    def save_instance(self):
        old_status = Record.objects.values_list("access_status", flat=True).get(
            pk=self.object.pk
        )
        instance = super().save_instance()
        audit.log_access_change(instance, old_status, user=self.request.user)
        return instance

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        label = _("Restore") if self.object.withdrawn else _("Withdraw")
        buttons.append(
            HeaderButton(
                label,
                url=reverse("catalogue_record_withdraw", args=[self.object.pk]),
                icon_name="view" if self.object.withdrawn else "warning",
                priority=30,
            )
        )
        buttons.append(
            HeaderButton(
                _("Contents"),
                url=reverse("wagtailsnippets_catalogue_record:list")
                + f"?parent={self.object.pk}",
                icon_name="folder-open-inverse",
                priority=40,
            )
        )
        return buttons


def contents_url(record):
    return reverse("wagtailsnippets_catalogue_record:list") + f"?parent={record.pk}"


class RecordViewSet(SnippetViewSet):
    model = Record
    icon = "doc-full"
    menu_label = _("Records")
    edit_view_class = RecordEditView
    # With the form the files panel's move buttons submit (see RecordFilesPanel).
    edit_template_name = "catalogue/admin/record_edit.html"
    filterset_class = RecordFilterSet
    search_fields = ["reference_code", "title"]
    search_backend_name = None  # plain database queries: records are not indexed
    list_per_page = 50
    ordering = ["path", "position", "reference_code"]
    list_display = [
        "reference_code",
        "title",
        "level",
        "access_status",
        Column(
            "public",
            label=_("Public"),
            accessor=lambda record: _("yes") if record.is_public else _("no"),
        ),
        TitleColumn(
            "contents",
            label=_("Contents"),
            accessor=lambda record: record.children.count() or "—",
            get_url=contents_url,
        ),
    ]
    edit_handler_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("repository"), FieldPanel("level")]),
                FieldPanel(
                    "parent",
                    widget=parent_chooser_viewset.widget_class(
                        linked_fields={"repository": "#id_repository"}
                    ),
                ),
                FieldRowPanel([FieldPanel("reference_code"), FieldPanel("position")]),
                FieldPanel("title"),
                FieldPanel("title_en"),
            ],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("access_status"), FieldPanel("opening_date")]
                ),
                FieldRowPanel(
                    [FieldPanel("retention_period"), FieldPanel("classification")]
                ),
            ],
            heading=_("Access"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("creators"),
                FieldRowPanel(
                    [
                        FieldPanel("date_expression"),
                        FieldPanel("date_start"),
                        FieldPanel("date_end"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("document_number"),
                        FieldPanel("extent"),
                        FieldPanel("page_count"),
                    ]
                ),
                FieldPanel("scope_and_content"),
                FieldRowPanel(
                    [FieldPanel("subjects"), FieldPanel("names"), FieldPanel("places")]
                ),
                FieldRowPanel([FieldPanel("language"), FieldPanel("notes")]),
            ],
            heading=pgettext_lazy("archival description", "Description"),
        ),
        RecordFilesPanel(heading=_("Files and page texts")),
    ]

    def get_edit_handler(self):
        return ObjectList(
            self.edit_handler_panels, base_form_class=RecordForm
        ).bind_to_model(Record)

    def get_queryset(self, request):
        return Record.objects.select_related("repository")


class RepositoryViewSet(SnippetViewSet):
    model = Repository
    icon = "home"
    menu_label = _("Repositories")
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]
    search_backend_name = None


class AccessWordingViewSet(SnippetViewSet):
    """Each archive's table of access wordings: how an editor decides a row
    the import listed as "needs review" (catalogue/vocabulary.py)."""

    model = AccessWording
    icon = "lock"
    menu_label = _("Access wordings")
    list_display = ["wording", "meaning", "repository", "note"]
    list_filter = ["meaning", "repository"]
    search_fields = ["wording", "note"]
    search_backend_name = None


class CatalogueGroup(SnippetViewSetGroup):
    items = (RecordViewSet, RepositoryViewSet, AccessWordingViewSet)
    menu_icon = "folder-inverse"
    menu_label = _("Catalogue")
    menu_name = "catalogue"


register_snippet(CatalogueGroup)


@hooks.register("register_admin_urls")
def register_catalogue_urls():
    return [
        path(
            "catalogue/records/<int:pk>/withdraw/",
            admin_views.withdraw,
            name="catalogue_record_withdraw",
        ),
        path(
            "catalogue/records/<int:pk>/files/",
            admin_views.record_files,
            name="catalogue_record_files",
        ),
        path(
            "catalogue/records/<int:pk>/files/move/",
            admin_views.move_file,
            name="catalogue_record_files_move",
        ),
        path(
            "catalogue/records/<int:pk>/files/<int:number>/",
            admin_views.record_file,
            name="catalogue_record_file",
        ),
        path(
            "catalogue/records/<int:pk>/files/<int:number>/thumbnail/",
            admin_views.record_file_thumbnail,
            name="catalogue_record_file_thumbnail",
        ),
        path(
            "catalogue/records/<int:pk>/pages/<int:page_number>.txt",
            admin_views.record_page_text,
            name="catalogue_record_page_text",
        ),
        path("catalogue/import/", admin_views.import_start, name="catalogue_import"),
        path(
            "catalogue/import/<int:pk>/",
            admin_views.import_job,
            name="catalogue_import_job",
        ),
        path(
            "catalogue/import/<int:pk>/report.csv",
            admin_views.import_report_csv,
            name="catalogue_import_report",
        ),
        path(
            "catalogue/import/template.<str:kind>",
            admin_views.import_template,
            name="catalogue_import_template",
        ),
        path(
            "catalogue/import/guide/<slug:slug>/",
            admin_views.import_guide,
            name="catalogue_import_guide",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("catalogue.add_importjob")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import catalogue"),
        reverse("catalogue_import"),
        icon_name="upload",
        order=301,
    )


class FilesReorderedFormatter(LogFormatter):
    label = _("Reorder files")

    def format_message(self, log_entry):
        try:
            return _("File %(number)s moved to place %(place)s") % {
                "number": log_entry.data["from"],
                "place": log_entry.data["to"],
            }
        except (KeyError, TypeError):
            return _("Files reordered")


@hooks.register("register_log_actions")
def register_access_log_actions(actions):
    for action, label, message in audit.ACTIONS:
        actions.register_action(action, label, message)
    actions.register_action(admin_views.FILES_REORDERED)(FilesReorderedFormatter)


class AccessStatusForm(forms.Form):
    access_status = forms.ChoiceField(
        label=_("New access status"), choices=AccessStatus.choices
    )


class SetAccessStatusBulkAction(SnippetBulkAction):
    display_name = _("Set access status")
    action_type = "set_access_status"
    aria_label = _("Set the access status of the selected records")
    template_name = "catalogue/admin/confirm_bulk_access_status.html"
    action_priority = 20
    form_class = AccessStatusForm
    models = [Record]

    def check_perm(self, record):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", record
        )

    def get_execution_context(self):
        return {
            **super().get_execution_context(),
            "access_status": self.cleaned_form.cleaned_data["access_status"],
        }

    @classmethod
    def execute_action(cls, objects, access_status=None, user=None, **kwargs):
        changed = 0
        for record in objects:
            old = record.access_status
            if old == access_status:
                continue
            record.access_status = access_status
            record.save()
            audit.log_access_change(record, old, user=user, source="bulk")
            changed += 1
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "Access status changed for %(count)d record.",
            "Access status changed for %(count)d records.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


hooks.register("register_bulk_action", SetAccessStatusBulkAction)

# The home page's figures and newly opened records (catalogue/home.py).
from . import home  # noqa: E402, F401
