"""Where an import's files come from: a file, a bundle directory or a zip.

Shared by the import_catalogue command and the admin's import page, so both
accept the same inputs and refuse the same hostile ones.
"""

import logging
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from .base import Bundle
from .errors import os_error

logger = logging.getLogger(__name__)

FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xml": "ead",
    ".ead": "ead",
}
# An old Excel workbook is given to the Excel reader, which says how to save it
# as .xlsx; it is not looked for as a bundle's metadata file.
OLD_EXCEL = ".xls"
# What a workbook's bytes begin with: a zip. A "CSV" file that is one is read
# as the workbook it is.
ZIP_SIGNATURE = b"PK\x03\x04"
# A zip bomb is refused before a byte is written: these bound what unpacks.
MAX_ZIP_ENTRIES = 20_000
MAX_ZIP_BYTES = 5 * 1024**3
COPY_CHUNK = 1024 * 1024
# Names that archivers add and nobody means to import.
# Excel's lock file (~$目录.xlsx) lies beside a workbook while it is open.
JUNK = re.compile(r"^(__MACOSX|\.DS_Store|Thumbs\.db|desktop\.ini)$|^\._|^~\$")


class BundleError(Exception):
    """The path given cannot be imported; the message says why."""


def format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    suffix = path.suffix.lower()
    found = FORMATS.get(suffix) or ("xlsx" if suffix == OLD_EXCEL else None)
    if found is None:
        raise BundleError(
            _(
                "cannot tell the format of %(name)s: name it .csv, .xlsx or "
                ".xml, or choose the format"
            )
            % {"name": path.name}
        )
    return found


def metadata_file(directory: Path, given_format: str | None) -> Path:
    """The single metadata file at the top of a bundle directory.

    A zip made by compressing a folder holds that folder, so a bundle whose
    top level is a single directory is looked into once.
    """
    suffixes = (
        [s for s, f in FORMATS.items() if f == given_format]
        if given_format
        else list(FORMATS)
    )
    for _depth in range(2):
        entries = [p for p in directory.iterdir() if not JUNK.search(p.name)]
        found = [p for p in entries if p.is_file() and p.suffix.lower() in suffixes]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise BundleError(
                _("the bundle holds several metadata files: %(names)s; keep one")
                % {"names": ", ".join(sorted(p.name for p in found))}
            )
        folders = [p for p in entries if p.is_dir()]
        if len(folders) != 1 or any(p.is_file() for p in entries):
            break
        directory = folders[0]
    raise BundleError(
        _("no metadata file (%(suffixes)s) at the top of the bundle")
        % {"suffixes": ", ".join(suffixes)}
    )


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name, also when Chinese Windows wrote it in GBK."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    raw = name.encode("cp437")  # how zipfile decoded it when the flag is unset
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _safe_parts(name: str) -> tuple[str, ...]:
    path = PurePosixPath(name.replace("\\", "/"))
    if (
        path.is_absolute()
        or re.match(r"^[A-Za-z]:", name)
        or ".." in path.parts
        or "\x00" in name
    ):
        raise BundleError(
            _("the zip file holds an unsafe path %(name)s; nothing was unpacked")
            % {"name": name}
        )
    return tuple(part for part in path.parts if part not in ("", "."))


def extract_zip(archive: Path, target: Path) -> None:
    """Unpack a zip bundle into `target`, refusing anything hostile."""
    try:
        bundle = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        # zipfile's words ("File is not a zip file") are English: ours say it.
        logger.info("import: %s is not a readable zip file: %s", archive.name, error)
        reason = (
            os_error(error)
            if isinstance(error, OSError) and error.errno
            else _("it is damaged, cut short or another kind of file")
        )
        raise BundleError(
            _("%(name)s is not a readable zip file: %(error)s")
            % {"name": archive.name, "error": reason}
        ) from error
    with bundle:
        entries = bundle.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise BundleError(
                _("the zip file holds more than %(count)s entries")
                % {"count": f"{MAX_ZIP_ENTRIES:,}"}
            )
        if sum(info.file_size for info in entries) > MAX_ZIP_BYTES:
            raise BundleError(
                _("the zip file unpacks to more than %(size)s GB")
                % {"size": MAX_ZIP_BYTES // 1024**3}
            )
        planned = []
        for info in entries:
            name = _entry_name(info)
            parts = _safe_parts(name)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise BundleError(
                    _(
                        "the zip file holds a symbolic link %(name)s; nothing was "
                        "unpacked"
                    )
                    % {"name": name}
                )
            if info.flag_bits & 0x1:
                raise BundleError(
                    _(
                        "the zip file is protected by a password; "
                        "make it again without one"
                    )
                )
            if not parts or any(JUNK.search(part) for part in parts):
                continue
            planned.append((info, parts))
        # Sizes in the zip's directory can lie: count what really comes out.
        written = 0
        root = target.resolve()
        for info, parts in planned:
            destination = root.joinpath(*parts)
            if not destination.resolve().is_relative_to(root):
                raise BundleError(
                    _(
                        "the zip file holds an unsafe path %(name)s; nothing was "
                        "unpacked"
                    )
                    % {"name": "/".join(parts)}
                )
            if info.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                with bundle.open(info) as source, destination.open("wb") as out:
                    while chunk := source.read(COPY_CHUNK):
                        written += len(chunk)
                        if written > MAX_ZIP_BYTES:
                            raise BundleError(
                                _("the zip file unpacks to more than %(size)s GB")
                                % {"size": MAX_ZIP_BYTES // 1024**3}
                            )
                        out.write(chunk)
            except (
                zipfile.BadZipFile,
                zlib.error,
                OSError,
                EOFError,
                ValueError,
                NotImplementedError,
            ) as error:
                logger.info("import: cannot unpack %s: %r", "/".join(parts), error)
                if isinstance(error, NotImplementedError):
                    reason = _(
                        "it is compressed in a way the portal cannot read; make "
                        "the zip again with the usual (Deflate) compression"
                    )
                elif isinstance(error, OSError) and error.errno:
                    reason = os_error(error)
                else:
                    reason = _("the zip file is damaged or cut short")
                raise BundleError(
                    _("cannot unpack %(name)s from the zip file: %(error)s")
                    % {"name": "/".join(parts), "error": reason}
                ) from error


@contextmanager
def open_source(path: Path, given_format: str | None = None):
    """(metadata file, format, Bundle) for a file, directory or zip.

    The bundle's root is the metadata file's folder: paths in the file are
    relative to it. A zip is unpacked into a temporary directory that is
    removed afterwards.
    """
    if not path.exists():
        raise BundleError(_("%(path)s does not exist") % {"path": path})
    if path.is_dir():
        metadata = metadata_file(path, given_format)
        yield metadata, format_of(metadata, given_format), Bundle(metadata.parent)
        return
    if path.suffix.lower() == ".zip":
        scratch = Path(tempfile.mkdtemp(prefix="catalogue-import-"))
        try:
            extract_zip(path, scratch)
            metadata = metadata_file(scratch, given_format)
            yield metadata, format_of(metadata, given_format), Bundle(metadata.parent)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return
    # A lone file may name files that lie beside it.
    yield path, format_of(path, given_format), Bundle(path.parent)


def read_rows(metadata: Path, fmt: str, bundle: Bundle | None):
    """The metadata file's rows and problems, by the reader of its format."""
    # Imported here so that each import works without the other readers.
    if fmt == "ead":
        from catalogue.importers.ead import read_ead as read
    elif fmt == "xlsx" or (fmt == "csv" and _is_workbook(metadata)):
        from catalogue.importers.xlsx import read_xlsx as read
    else:
        from catalogue.importers.csv import read_csv as read
    return read(metadata, bundle=bundle, location_name=metadata.name)


def count_rows(metadata: Path, fmt: str) -> int | None:
    """Rows to expect, for the progress bar; None when it cannot be told cheaply."""
    if fmt == "xlsx" or (fmt == "csv" and _is_workbook(metadata)):
        from catalogue.importers.xlsx import count_rows as count_xlsx_rows

        return count_xlsx_rows(metadata)
    if fmt != "csv":
        return None
    from catalogue.importers.csv import count_rows as count_csv_rows

    return count_csv_rows(metadata)


def _is_workbook(path: Path) -> bool:
    """Whether a file given as CSV is in fact a zip (an .xlsx renamed)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(ZIP_SIGNATURE)) == ZIP_SIGNATURE
    except OSError:
        return False  # the CSV reader says why it cannot open it
