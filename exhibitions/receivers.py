"""Renditions are made when a page is published or an image saved, not when
the first visitor asks for them (see renditions.py)."""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from home.models import ArchiveImage

from .tasks import make_image_renditions, make_page_renditions

logger = logging.getLogger(__name__)


def schedule(task, key):
    def enqueue():
        try:
            task.enqueue(key)
        except Exception as error:  # noqa: BLE001 — the page then makes them on view
            logger.warning("could not queue %s(%s): %s", task.name, key, error)

    transaction.on_commit(enqueue)


@receiver(page_published)
def on_page_published(sender, instance, **kwargs):
    if sender._meta.app_label == "exhibitions":
        schedule(make_page_renditions, instance.pk)


# What a rendition depends on. Wagtail also saves an image to note its file
# size or hash (update_fields), which changes none of them.
DRAWN_FROM = {
    "file",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
}


@receiver(post_save, sender=ArchiveImage)
def on_image_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # A new image is on no page yet; a changed one (file, focal point) needs
    # its renditions again wherever it is shown.
    if created or raw:
        return
    if update_fields is not None and not DRAWN_FROM & set(update_fields):
        return
    schedule(make_image_renditions, instance.pk)
