"""StreamField blocks of exhibitions and thematic collections.

Every block has an icon, a template, a description and a preview for the
block picker. Blocks that cite catalogue records read them through the public
gate when the page is rendered, never when it is saved: a record that stops
being public disappears from every exhibition at once.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from home.blocks import HeadingBlock, ParagraphBlock, QuoteBlock, StructBlock
from home.credits import CREDIT_KINDS, credit_label

from . import records
from .choosers import record_chooser_viewset

PREVIEW = "exhibitions/block_preview.html"

RecordChooserBlock = record_chooser_viewset.get_block_class(
    name="RecordChooserBlock", module_path="exhibitions.blocks"
)


def image_credit(value, image):
    """The block's own credit with its kind, or else the image's own."""
    if value.get("credit") or image is None:
        return {
            "credit": value.get("credit") or "",
            "credit_label": credit_label(value.get("credit_kind")),
        }
    return {"credit": image.credit_here, "credit_label": image.credit_label}


def credit_kind_block():
    return blocks.ChoiceBlock(
        label=_("The credit is for"),
        choices=CREDIT_KINDS,
        default="source",
        required=False,
        help_text=_("Labels the credit line 来源 (source) or 示意图 (illustration)."),
    )


def _first_image():
    from home.models import ArchiveImage

    return ArchiveImage.objects.order_by("-pk").first()


def _first_public_records(count):
    from catalogue.models import Record

    return list(Record.objects.public().filter(level="item")[:count])


class ExhibitionHeadingBlock(HeadingBlock):
    class Meta:
        preview_template = PREVIEW
        preview_value = {"heading_text": "开埠与海关", "size": "h2"}


class RichTextBlock(ParagraphBlock):
    class Meta:
        preview_template = PREVIEW
        description = _("Running text with links and lists, in a readable column.")


class QuotationBlock(QuoteBlock):
    class Meta:
        preview_template = PREVIEW
        description = _("A quotation set apart from the text, with its source.")


class ImageWithCaptionBlock(StructBlock):
    """An image with what an archive owes its visitors: what, whose, on what terms."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it. Required."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)
    credit = blocks.CharBlock(
        label=_("Credit"),
        required=False,
        max_length=200,
        help_text=_("Source (来源); the image's own credit when left empty."),
    )
    credit_kind = credit_kind_block()
    rights_statement = blocks.CharBlock(
        label=_("Rights statement"),
        required=False,
        max_length=200,
        help_text=_("Conditions of reuse; the image's own when left empty."),
    )
    full_width = blocks.BooleanBlock(
        label=_("Full width"),
        required=False,
        help_text=_("Let the image run the width of the page, past the text column."),
    )
    text = blocks.RichTextBlock(
        label=_("Text beside the image"),
        required=False,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_(
            "Optional: makes an image-and-text row, side by side on wide screens "
            "and the image first on phones; the text keeps a readable width."
        ),
    )
    image_side = blocks.ChoiceBlock(
        label=_("Image on the"),
        choices=[("start", _("Left")), ("end", _("Right"))],
        default="start",
        required=False,
        help_text=_("For an image with text beside it, on wide screens."),
    )

    class Meta:
        icon = "image"
        template = "blocks/exhibition_image_block.html"
        preview_template = PREVIEW
        label = _("Image")
        description = _(
            "An image with caption, credit and rights statement, in the text "
            "column, as wide as the page, or beside a text; alt text required."
        )

    def get_preview_value(self):
        return self.normalize(
            {
                "image": _first_image(),
                "alt_text": "滨江海关大楼旧影",
                "caption": "滨江海关大楼，1930年代",
                "credit": "J0001-001-0001",
            }
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        image = value.get("image")
        context.update(image_credit(value, image))
        context["rights"] = value.get("rights_statement") or getattr(
            image, "rights_here", ""
        )
        context["role"] = self.role(value)
        return context

    @staticmethod
    def role(value):
        if value.get("text") and value["text"].source.strip():
            return "image_text"
        return "figure_wide" if value.get("full_width") else "figure"

    def pictures(self, value):
        yield value.get("image"), self.role(value)


class GalleryImageBlock(StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(label=_("Alternative text"), max_length=300)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)
    credit = blocks.CharBlock(
        label=_("Credit"),
        required=False,
        max_length=200,
        help_text=_("Source (来源); the image's own credit when left empty."),
    )
    credit_kind = credit_kind_block()

    class Meta:
        icon = "image"
        label = _("Gallery image")


class GalleryBlock(StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    images = blocks.ListBlock(GalleryImageBlock(), label=_("Images"), min_num=2)

    class Meta:
        icon = "image"
        template = "blocks/gallery_block.html"
        preview_template = PREVIEW
        label = _("Gallery")
        description = _(
            "Several images in rows that fill the page's width, each in its own "
            "proportions; each opens large, with its caption, in a viewer that "
            "works with the keyboard."
        )

    def get_preview_value(self):
        image = _first_image()
        return self.normalize(
            {
                "heading": "码头旧影",
                "images": [
                    {"image": image, "alt_text": "码头一角", "caption": "码头一角"},
                    {"image": image, "alt_text": "码头远眺", "caption": "码头远眺"},
                ],
            }
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["items"] = [
            {
                "value": item,
                **image_credit(item, item.get("image")),
            }
            for item in value.get("images") or []
            if item.get("image") is not None
        ]
        return context

    def pictures(self, value):
        for item in value.get("images") or []:
            yield item.get("image"), "gallery"
            yield item.get("image"), "gallery_large"


class MediaTranscriptMixin(StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        required=False,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("What is said, for people who cannot hear it."),
    )
    credit = blocks.CharBlock(label=_("Credit"), required=False, max_length=200)


AUDIO_TYPES = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "wav": "audio/wav",
}
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "ogv": "video/ogg"}


def _media_type(document, types):
    return types.get((document.file_extension or "").lower(), "") if document else ""


class AudioBlock(MediaTranscriptMixin):
    audio = DocumentChooserBlock(
        label=_("Audio file"),
        help_text=_("An MP3, M4A, OGG or WAV file from the documents library."),
    )

    class Meta:
        icon = "media"
        template = "blocks/audio_block.html"
        preview_template = PREVIEW
        label = _("Audio")
        description = _("A recording with player controls and its transcript.")
        preview_value = {
            "title": "口述历史：老码头工人的回忆",
            "transcript": "<p>那时候码头上全靠肩挑背扛……</p>",
        }

    def clean(self, value):
        value = super().clean(value)
        if value.get("audio") and not _media_type(value["audio"], AUDIO_TYPES):
            raise blocks.StructBlockValidationError(
                {"audio": ValidationError(_("Choose an MP3, M4A, OGG or WAV file."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["media_type"] = _media_type(value.get("audio"), AUDIO_TYPES)
        return context


class VideoBlock(MediaTranscriptMixin):
    video = DocumentChooserBlock(
        label=_("Video file"),
        help_text=_("An MP4 or WebM file from the documents library."),
    )
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    captions = DocumentChooserBlock(
        label=_("Captions (WebVTT)"),
        required=False,
        help_text=_("A .vtt file of captions, shown in the player."),
    )

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        preview_template = PREVIEW
        label = _("Video")
        description = _(
            "A film with player controls (never autoplaying), captions and transcript."
        )
        preview_value = {
            "title": "1956年滨江港新码头落成",
            "transcript": "<p>解说：新码头今天正式启用……</p>",
        }

    def pictures(self, value):
        if value.get("video"):
            yield value.get("poster"), "poster"

    def clean(self, value):
        value = super().clean(value)
        if value.get("video") and not _media_type(value["video"], VIDEO_TYPES):
            raise blocks.StructBlockValidationError(
                {"video": ValidationError(_("Choose an MP4 or WebM file."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["media_type"] = _media_type(value.get("video"), VIDEO_TYPES)
        return context


class RecordBlock(StructBlock):
    """One catalogue record, shown live from the catalogue through the public gate."""

    record = RecordChooserBlock(label=_("Record"))
    note = blocks.TextBlock(
        label=_("Why this record"),
        required=False,
        max_length=400,
        help_text=_("One or two sentences on what the record shows."),
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/record_block.html"
        preview_template = PREVIEW
        label = _("Record")
        description = _(
            "A record from the catalogue with its thumbnail, title, reference code "
            "and date, linked to its page. Hidden from the public if the record "
            "stops being open."
        )

    def get_preview_value(self):
        chosen = _first_public_records(1)
        return self.normalize(
            {
                "record": chosen[0] if chosen else None,
                "note": "这份呈文记录了码头扩建的缘起。",
            }
        )

    def get_searchable_content(self, value):
        # What the page shows, and no more: a block whose record is not
        # public is hidden, so its note must not be found either.
        chosen = value.get("record")
        if not (chosen and records.public_records([chosen.pk])):
            return []
        return super().get_searchable_content(value)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        chosen = value.get("record")
        shown = records.public_records([chosen.pk] if chosen else [])
        cards = records.record_cards(shown, request)
        context["card"] = cards[0] if cards else None
        context["hidden_record"] = chosen if chosen and not shown else None
        context["show_warning"] = records.can_see_warnings(request)
        return context


class RecordGroupBlock(StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    introduction = blocks.TextBlock(
        label=_("Introduction"), required=False, max_length=600
    )
    records = blocks.ListBlock(RecordChooserBlock(label=_("Record")), min_num=1)

    class Meta:
        icon = "folder-open-inverse"
        template = "blocks/record_group_block.html"
        preview_template = PREVIEW
        label = _("Record group")
        description = _(
            "Several records from the catalogue as a list of cards; records that "
            "are not public are left out."
        )

    def get_preview_value(self):
        return self.normalize(
            {"heading": "相关档案", "records": _first_public_records(3)}
        )

    def get_searchable_content(self, value):
        # The group's heading and introduction are shown only beside at
        # least one public record (templates/blocks/record_group_block.html).
        chosen = [record.pk for record in value.get("records") or [] if record]
        if not records.public_records(chosen):
            return []
        return super().get_searchable_content(value)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        chosen = [record for record in value.get("records") or [] if record]
        shown = records.public_records([record.pk for record in chosen])
        shown_ids = {record.pk for record in shown}
        context["cards"] = records.record_cards(shown, request)
        context["hidden_records"] = [r for r in chosen if r.pk not in shown_ids]
        context["show_warning"] = records.can_see_warnings(request)
        return context


class TimelineEventBlock(StructBlock):
    date = blocks.DateBlock(
        label=_("Date"),
        required=False,
        help_text=_("For machines (and sorting); the label below is what people read."),
    )
    date_label = blocks.CharBlock(
        label=_("Date as shown"), max_length=60, help_text=_("e.g. 1956年3月, 1930年代")
    )
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=600)

    class Meta:
        icon = "date"
        label = _("Timeline entry")


class TimelineBlock(StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    events = blocks.ListBlock(TimelineEventBlock(), label=_("Entries"), min_num=1)

    class Meta:
        icon = "time"
        template = "blocks/timeline_block.html"
        preview_template = PREVIEW
        label = _("Timeline")
        description = _("A short list of dated moments, in order, inside a story.")
        preview_value = {
            "heading": "码头大事",
            "events": [
                {"date_label": "1902年", "title": "海关码头建成"},
                {"date_label": "1956年3月", "title": "呈报扩建计划"},
            ],
        }


class DocumentBlock(StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        max_length=200,
        help_text=_("The document's title when left empty."),
    )
    description = blocks.TextBlock(
        label=pgettext_lazy("of a document", "Description"),
        required=False,
        max_length=400,
    )

    class Meta:
        icon = "doc-full-inverse"
        template = "blocks/document_block.html"
        preview_template = PREVIEW
        label = _("Download")
        description = _("A document to download, with its file type and size.")
        preview_value = {"title": "展览图录（PDF）", "description": "展览全部图文。"}


class ExhibitionStreamBlock(blocks.StreamBlock):
    heading = ExhibitionHeadingBlock()
    paragraph = RichTextBlock()
    image = ImageWithCaptionBlock()
    gallery = GalleryBlock()
    quote = QuotationBlock()
    audio = AudioBlock()
    video = VideoBlock()
    record = RecordBlock()
    record_group = RecordGroupBlock()
    timeline = TimelineBlock()
    document = DocumentBlock()
