"""Open Graph tags and JSON-LD for templates/includes/page_metadata.html."""

from django import template

from portal.seo import open_graph, structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def open_graph_tags(context):
    """[(property, content)] of the page's Open Graph tags."""
    return open_graph.tags(context)


@register.simple_tag(takes_context=True)
def json_ld(context):
    """The page's schema.org JSON-LD, escaped for a <script>; "" when none."""
    data = structured_data.for_context(context)
    return structured_data.as_script_text(data) if data else ""
