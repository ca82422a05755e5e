"""Listening to the catalogue and to Wagtail, to keep the indexes current."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalogue.models import Record
from catalogue.signals import repository_imported, subtrees_changed

from . import indexing
from .models import PendingUpdate
from .tasks import update_index

logger = logging.getLogger(__name__)
Kind = PendingUpdate.Kind


def schedule(kind, keys):
    keys = list(keys)

    def enqueue():
        try:
            update_index.enqueue(kind, keys)
        except Exception as error:  # noqa: BLE001 — a queue outage must not lose it
            logger.warning("could not queue search update: %s", error)
            indexing.record_failure(kind, keys, error)

    transaction.on_commit(enqueue)


@receiver(subtrees_changed)
def on_subtrees_changed(sender, roots, **kwargs):
    schedule(Kind.SUBTREES, roots)


@receiver(repository_imported)
def on_repository_imported(sender, repository_id, **kwargs):
    schedule(Kind.REPOSITORY, [repository_id])


@receiver(post_delete, sender=Record)
def on_record_deleted(sender, instance, **kwargs):
    schedule(Kind.REMOVE_RECORDS, [instance.pk])


@receiver(page_published)
def on_page_published(sender, instance, **kwargs):
    # Its descendants' URLs may have changed with its slug.
    ids = list(
        Page.objects.descendant_of(instance, inclusive=True).values_list(
            "pk", flat=True
        )
    )
    schedule(Kind.PAGES, ids)


@receiver(page_unpublished)
def on_page_unpublished(sender, instance, **kwargs):
    schedule(Kind.PAGES, [instance.pk])


@receiver(post_page_move)
def on_page_moved(sender, instance, **kwargs):
    ids = list(
        Page.objects.descendant_of(instance, inclusive=True).values_list(
            "pk", flat=True
        )
    )
    schedule(Kind.PAGES, ids)


@receiver(post_delete)
def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        schedule(Kind.REMOVE_PAGES, [instance.pk])
