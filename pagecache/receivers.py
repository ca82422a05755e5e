"""Everything that can change a public page adds one to the publication generation.

Model saves and deletions bump it inside the writer's transaction, so the
change and the new generation are committed together: there is no moment when
another process sees the change but still finds the page rendered before it.
The catalogue announces an import inside the importer's transaction
(`catalogue_changing`), which covers its bulk SQL that sends no model signals
and commits the bump with the import; its announcements once committed bump
it again. Wagtail's page actions are saves of pages, and are listened to
as well for good measure.

The rule is "bump unless the model is known not to show on a public page":
forgetting a model here costs a few cache misses, never a leak.
"""

from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_migrate,
)
from django.dispatch import receiver
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalogue.signals import catalogue_changing, repository_imported, subtrees_changed

from .models import Generation

# Models whose rows never reach a public page: logs, sessions, users, drafts,
# image renditions made while a page renders, and the bookkeeping of imports,
# indexing and this cache. Saving them must not empty the cache.
QUIET_APPS = {"admin", "auth", "contenttypes", "sessions", "pagecache", "search"}
QUIET_MODELS = {
    "catalogue.importjob",
    "home.user",
    "taggit.tag",
    "wagtailadmin.admin",
    "wagtailadmin.editingsession",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.groupapprovaltask",
    "wagtailcore.groupcollectionpermission",
    "wagtailcore.grouppagepermission",
    "wagtailcore.modellogentry",
    "wagtailcore.pagelogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.referenceindex",
    "wagtailcore.revision",
    "wagtailcore.task",
    "wagtailcore.taskstate",
    "wagtailcore.uploadedfile",
    "wagtailcore.workflow",
    "wagtailcore.workflowcontenttype",
    "wagtailcore.workflowpage",
    "wagtailcore.workflowstate",
    "wagtailcore.workflowtask",
    "wagtailembeds.embed",
    "wagtailimages.rendition",
    "wagtail_localize.overridablesegment",
    "wagtail_localize.relatedobjectsegment",
    "wagtail_localize.segmentoverride",
    "wagtail_localize.string",
    "wagtail_localize.stringsegment",
    "wagtail_localize.template",
    "wagtail_localize.templatesegment",
    "wagtail_localize.translation",
    "wagtail_localize.translationcontext",
    "wagtail_localize.translationlog",
    "wagtail_localize.translationsource",
    "wagtail_localize.stringtranslation",
    "wagtailsearch.indexentry",
    "wagtailusers.userprofile",
}


# While migrations run, the generation's table may not exist yet; a cache
# filed under the generation before them is left behind by the bump after.
migrating = False


def shows_on_public_pages(model):
    meta = model._meta
    return (
        not migrating
        and meta.app_label not in QUIET_APPS
        and meta.label_lower not in QUIET_MODELS
    )


@receiver(pre_migrate, dispatch_uid="pagecache-pre-migrate")
def on_migrating(sender, **kwargs):
    global migrating  # noqa: PLW0603 — one flag for the whole process
    migrating = True


@receiver(post_migrate, dispatch_uid="pagecache-post-migrate")
def on_migrated(sender, **kwargs):
    global migrating  # noqa: PLW0603
    # Sent for each app once every migration has run.
    migrating = False


@receiver(post_save)
def on_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or not shows_on_public_pages(sender):
        return
    if created and is_blank_settings(instance):
        # Wagtail makes a site's settings row, all defaults, on the first page
        # that reads it: pages look the same as before, nothing to forget.
        return
    Generation.bump()


def is_blank_settings(instance):
    if not isinstance(instance, BaseSiteSetting | BaseGenericSetting):
        return False
    blank = type(instance)()
    return all(
        field.value_from_object(instance) == field.value_from_object(blank)
        for field in instance._meta.concrete_fields
        if not field.primary_key and field.name != "site"
    )


@receiver(m2m_changed)
def on_relation_changed(sender, instance, action, model, **kwargs):
    # Sent for the through table: either end may show on a public page.
    if action.startswith("post_") and (
        shows_on_public_pages(type(instance)) or shows_on_public_pages(model)
    ):
        Generation.bump()


def on_deleted(sender, **kwargs):
    if not migrating:
        Generation.bump()


def connect_deletions():
    """Listen to deletions of what shows on public pages, model by model.

    Not with one receiver for every model: a post_delete receiver makes Django
    load each row before deleting it, and the importer deletes page texts by
    the thousand. A record's digital objects and texts go with the record,
    whose deletion is heard here; the importer announces its own changes.
    """
    from django.apps import apps

    catalogue_rows = {"catalogue.digitalobject", "catalogue.pagetext"}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in catalogue_rows or not shows_on_public_pages(model):
            continue
        post_delete.connect(
            on_deleted, sender=model, dispatch_uid=f"pagecache-deleted-{label}"
        )


@receiver(catalogue_changing)
@receiver(subtrees_changed)
@receiver(repository_imported)
@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def on_announced(sender, **kwargs):
    if not migrating:
        Generation.bump()
