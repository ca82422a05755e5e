"""What the portal tells search engines and other sites about itself.

robots.txt (robots.py), the sitemap index and its sections (sitemaps.py), and
each page's Open Graph tags and schema.org JSON-LD (open_graph.py,
structured_data.py, drawn by templates/includes/page_metadata.html). They live
in `portal` because they read every app (pages, records, exhibitions): no
lower app may import another (DESIGN.md).

Every absolute URL they give comes from home/addresses.py (the configured
public address), never from the Host header of the request; every record they
name passed the public gate (`Record.objects.public()`) today.
"""
