"""Real finding aids, as ArchivesSpace, Archivists' Toolkit and university
archives export them (tests/fixtures/catalogue/ead/real/README.md names each
source and its licence): every component is read and decided, none refused.

Where a file's wording is not known to mean open, the archive decides it in
its table of wordings, as an editor would after reading the report.
"""

from pathlib import Path

import pytest
from django.utils import translation

from catalogue.importers.base import import_records
from catalogue.importers.ead import read_ead
from catalogue.models import AccessWording, Record
from tests.factories import RepositoryFactory

REAL = Path(__file__).parent / "fixtures" / "catalogue" / "ead" / "real"

# file: (components, what the archive decides of its wordings, imported, default)
FILES = {
    "aspace_umich-bhl-2013066.xml": (558, "umich", 558, None),
    "aspace_stanford-pc0170.xml": (7, None, 0, None),
    "aspace_stanford-universite-de-toulouse.xml": (7, None, 7, "open"),
    "at_nyu-ferris.xml": (19, None, 19, None),
    "legacy-dtd_nyu-wnyu.xml": (44, None, 44, None),
    "ead3_ncsu-mc00432.xml": (549, "ncsu", 549, "open"),
    "ead3_umn-uarc01180.xml": (167, "umn", 167, None),
    "ead3-undeprecated_princeton-C1571.xml": (13, "princeton", 13, None),
}
DECISIONS = {
    # The deposit agreement on the fonds, and downloads kept to the reading
    # room: the descriptions are open.
    "umich": {"Download Access Restricted to BHL Reading Room": "open"},
    # Open but for the restricted files of Series 2, which stay out.
    "stanford": {},
    "ncsu": {
        "Digital content. Copies of digital files are available upon request.": "open"
    },
    "umn": {
        "Items in this collection do not circulate and may be used in-house only.": (
            "open"
        )
    },
    "princeton": {},
}


def statements_of(path):
    """The archdesc's own statements, read the way the importer reads them."""
    rows = [r for r in read_ead(path) if hasattr(r, "access_words")]
    return rows[0].access_words


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_real_finding_aid_imports_every_component(db, name):
    components, decisions, imported, default = FILES[name]
    repository = RepositoryFactory()
    for wording, meaning in DECISIONS.get(decisions, {}).items():
        AccessWording.objects.create(
            repository=repository, wording=wording, meaning=meaning
        )
    if decisions in ("umich", "princeton", "stanford"):
        # The fonds-level statement, as long as it is, decided whole.
        for words in statements_of(REAL / name):
            AccessWording.objects.get_or_create(
                repository=repository, wording=words, defaults={"meaning": "open"}
            )
    with translation.override("en"):
        report = import_records(
            read_ead(REAL / name), repository, default_access=default
        )

    assert report.committed, [str(p) for p in report.problems]
    assert report.rows == components
    decided = report.created + sum(report.skipped.values()) + report.review_count
    assert decided == components, report.lines()
    assert report.created == imported, report.lines()
    assert Record.objects.filter(repository=repository).count() == imported
    # Importing the same file again finds every record where it left it.
    with translation.override("en"):
        again = import_records(
            read_ead(REAL / name), repository, default_access=default
        )
    assert again.committed and again.created == 0 and again.updated == imported


@pytest.mark.parametrize("name", sorted(FILES))
def test_without_the_archive_deciding_nothing_unknown_is_published(db, name):
    components, _decisions, _imported, _default = FILES[name]
    repository = RepositoryFactory()
    with translation.override("en"):
        report = import_records(read_ead(REAL / name), repository)
    assert report.committed, report.lines()
    public = Record.objects.public().filter(repository=repository).count()
    assert public == report.created
    if name in ("at_nyu-ferris.xml", "legacy-dtd_nyu-wnyu.xml"):
        # "Open for research without restrictions." / "Open to researchers."
        assert report.created == components
    else:
        assert report.created == 0
        assert report.review_count + sum(report.skipped.values()) == components


def archdesc_of(name):
    return next(r for r in read_ead(REAL / name) if hasattr(r, "reference_code"))


def test_the_structure_of_real_notes_is_kept_as_formatted_text():
    # A <list> inside a paragraph, as the University of Minnesota writes it.
    assert archdesc_of("ead3_umn-uarc01180.xml").arrangement == (
        "The collection is arranged in six series:\n\n"
        "• Professional Affiliations\n• Correspondence\n• Country Bulletins\n"
        "• Crop-Related Publications\n• Awards and Honoraria\n• Miscellaneous"
    )
    wnyu = archdesc_of("legacy-dtd_nyu-wnyu.xml")
    # <lb/> as a line; an <address> inside a paragraph on one line.
    assert wnyu.conditions_of_use == (
        "There may be some restrictions on the use of the collection. For more "
        "information, contact\nNew York University Archives, Elmer Holmes Bobst "
        "Library, 70 Washington Square South, New York, NY 10012"
    )
    assert wnyu.preferred_citation.startswith(
        "Published citations should take the following form:\n"
        "Identification of item, date (if known);"
    )
    # A heading that says more than the field's name stays; a web link is kept
    # beside its text, a mailto: link is not.
    stanford = archdesc_of("aspace_stanford-pc0170.xml").conditions_of_use
    assert stanford.startswith(
        "Publication Rights\n\nThese images are made available under the "
        "Creative Commons Attribution-NonCommercial-NoDerivs 3.0 License "
        "(https://creativecommons.org/licenses/by-nc-nd/3.0/us/). "
    )
    assert stanford.endswith("please contact the University Archives.")


# AtoM's own example exports ---------------------------------------------------------

ATOM = Path(__file__).parent / "fixtures" / "catalogue" / "atom"


def test_atoms_rad_example_reads_its_creators_dates_and_notes():
    from catalogue.importers.csv import read_csv

    fonds, item = read_csv(ATOM / "example_information_objects_rad.csv")

    # RAD names the creation event's columns the older way.
    assert fonds.creators == ["Test Creator 1", "Test Creator 2"]
    assert fonds.biographical_history == (
        "History of Test Creator 1\n\nHistory of Test Creator 2"
    )
    assert (fonds.date_start.year, fonds.date_end.year) == (2000, 2011)
    assert fonds.scope_and_content == "Example Fonds scope and content"
    assert item.parent_reference == "F1" and item.reference_code == "F1-IT1"
    assert item.language == "en, ar"


def test_atoms_rad_example_is_reviewed_then_imported_once_its_wording_is_decided(db):
    from catalogue.importers.csv import read_csv

    repository = RepositoryFactory()
    path = ATOM / "example_information_objects_rad.csv"
    with translation.override("en"):
        first = import_records(read_csv(path), repository)
    # "Example Fonds conditions governing access" means nothing known: the
    # fonds waits for review, and its item with it.
    assert first.committed and first.created == 0, first.lines()
    assert first.review_count == 1
    assert Record.objects.filter(repository=repository).count() == 0
    for level in ("Fonds", "Item"):
        AccessWording.objects.create(
            repository=repository,
            wording=f"Example {level} conditions governing access",
            meaning="open",
        )

    with translation.override("en"):
        second = import_records(read_csv(path), repository)

    assert second.committed and second.created == 2, second.lines()
    assert Record.objects.public().filter(repository=repository).count() == 2
