from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .choosers import record_chooser_viewset
from .models import Theme


@hooks.register("register_admin_viewset")
def register_record_chooser():
    return record_chooser_viewset


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    add_to_settings_menu = True
    list_display = ["name", "slug", "locale"]
    search_fields = ["name", "slug"]
    search_backend_name = None


register_snippet(ThemeViewSet)

# The home page's figures and 历史上的今天 (exhibitions/home.py).
from . import home  # noqa: E402, F401
