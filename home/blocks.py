"""StreamField blocks shared by every page of the portal."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class StructBlock(blocks.StructBlock):
    """A StructBlock whose search text is what a visitor reads.

    Wagtail indexes an empty optional CharBlock as the word "None" and a
    ChoiceBlock as its label, so search snippets read "（示意图） None 来源：原件
    本身或其收藏单位 None 左侧": our choices are all layout and credit kinds,
    never content, and empty values say nothing."""

    def get_searchable_content(self, value):
        content = []
        for name, block in self.child_blocks.items():
            child = value.get(name)
            if child in (None, "") or isinstance(block, blocks.ChoiceBlock):
                continue
            pieces = block.get_searchable_content(child)
            content.extend(piece for piece in pieces if str(piece).strip())
        return content


class HeadingBlock(StructBlock):
    heading_text = blocks.CharBlock(label=_("Heading"), max_length=200)
    size = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading")), ("h3", _("Subsection heading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A section heading that also appears in the page outline.")
        preview_value = {"heading_text": "馆藏介绍", "size": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["bold", "italic", "link", "document-link", "ol", "ul", "h3"]
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        label = _("Paragraph")
        description = _("Running text with links and lists.")
        preview_value = (
            "<p>本馆保存着自清末以来的城市档案，向社会开放的档案均可在线查询。</p>"
        )


class CaptionedImageBlock(StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)
    credit = blocks.CharBlock(
        label=_("Credit"),
        required=False,
        max_length=200,
        help_text=_("Where the image comes from, e.g. the archive's reference code."),
    )

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        label = _("Image")
        description = _("An image with its caption and source.")


class QuoteBlock(StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quotation")
        description = _("A quotation set apart from the text, with its source.")
        preview_value = {
            "text": "档案是历史的真实记录。",
            "attribution": "本馆馆训",
        }


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
