from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitionsConfig(AppConfig):
    name = "exhibitions"
    verbose_name = _("Exhibitions and thematic collections")

    def ready(self):
        from . import receivers  # noqa: F401 — connects the signal receivers
