"""Make the renditions every live exhibition, collection and chronicle page shows.

Publishing a page or saving an image does this by itself (exhibitions/
receivers.py); this command is for content that existed before, or after the
rendition specs in exhibitions/renditions.py change. Safe to run again: what
exists is found, not made twice.
"""

from django.core.management.base import BaseCommand
from wagtail.models import Page

from exhibitions import renditions
from home.models import ArchiveRendition


class Command(BaseCommand):
    help = "Make the image renditions that exhibition pages show, ahead of visitors."

    def handle(self, *args, **options):
        before = ArchiveRendition.objects.count()
        pages = images = 0
        live = Page.objects.live().filter(content_type__app_label="exhibitions")
        # Page by page, so a large site never holds every page in memory.
        for pk in live.order_by("pk").values_list("pk", flat=True).iterator():
            page = Page.objects.get(pk=pk).specific
            images += renditions.make_for_page(page)
            pages += 1
        made = ArchiveRendition.objects.count() - before
        self.stdout.write(
            f"Renditions: {made} made for {images} image uses on {pages} pages."
        )
