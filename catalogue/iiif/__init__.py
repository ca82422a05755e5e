"""IIIF for the open catalogue (docs/iiif.md).

- `tiles`: level 0 Image API tiles of page images, made once with libvips
  (dzsave's IIIF 3 layout) and kept beside the catalogue's private files.
- `image_api`: info.json and tiles of a public record's pages.
- `presentation`: Presentation 3 manifests of records with page images and
  collections of fonds, series and files, built with iiif-prezi3.

Every URL hangs below a record's permalink (catalogue/pages.py), so the public
gate decides each request: a record that leaves the public takes its
manifest, its collection and its tiles with it at once.
"""
