from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = _("Page cache")

    def ready(self):
        from catalogue import views
        from home.templatetags import portal_tags

        from . import receivers
        from .models import Generation

        receivers.connect_deletions()
        # The catalogue keeps its costly counts, and every page its menus,
        # until public data changes.
        views.publication_version = Generation.current
        portal_tags.publication_version = Generation.current
