"""Where the catalogue keeps files the public may reach only through the gate.

Neither is under MEDIA_ROOT, which the embedded set-up serves to anyone: a
record's scans are served by a view that asks Record.objects.public() first,
and an uploaded import file (which may describe closed records) is never
served at all.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def catalogue_files():
    return FileSystemStorage(location=settings.CATALOGUE_FILES_ROOT)


def import_uploads():
    return FileSystemStorage(location=settings.IMPORTS_ROOT)
