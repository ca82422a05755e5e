"""Renditions made in the background (django-tasks; immediate in the demo and
tests), so that publishing never waits on a worker and no visitor waits on an
image being resized."""

from django_tasks import task

from . import renditions


@task()
def make_page_renditions(page_id: int):
    from wagtail.models import Page

    page = Page.objects.live().filter(pk=page_id).first()
    return renditions.make_for_page(page) if page is not None else 0


@task()
def make_image_renditions(image_id: int):
    from home.models import ArchiveImage

    image = ArchiveImage.objects.filter(pk=image_id).first()
    return renditions.make_for_image(image) if image is not None else 0
