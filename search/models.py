"""What the search app keeps in the database: updates the engine missed."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PendingUpdate(models.Model):
    """An index update that failed (engine down, or refusing) and must be replayed.

    `python manage.py search_index replay` (and every later successful update)
    sends these again; a rebuild makes them all unnecessary.
    """

    class Kind(models.TextChoices):
        RECORDS = "records", _("records")
        SUBTREES = "subtrees", _("record subtrees")
        REPOSITORY = "repository", _("repository")
        PAGES = "pages", pgettext_lazy("web pages", "pages")
        REMOVE_PAGES = "remove_pages", _("removed pages")
        REMOVE_RECORDS = "remove_records", _("removed records")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    keys = models.JSONField(default=list)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    last_tried_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pending search update")
        verbose_name_plural = _("pending search updates")

    def __str__(self):
        return f"{self.kind} {self.keys[:5]}"


class IndexState(models.Model):
    """Small facts about the index kept between runs (e.g. the last opening day)."""

    name = models.CharField(max_length=50, unique=True)
    value = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.name}={self.value}"
