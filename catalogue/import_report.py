"""The import report as editors read it: the job page's groups and its CSV.

Both are made from `ImportReport.as_data()` as the job stores it (its messages
in the language the import ran in); the page shows at most PAGE_LIMIT entries
of a group, the CSV every entry the job kept.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

PAGE_LIMIT = 200

# What each kind of warning (Notice.kind) is about, as a group's heading.
WARNING_KINDS = {
    "date": gettext_lazy("Dates kept as written, without a normalised range"),
    "derived-code": gettext_lazy("Reference codes made for components without one"),
    "files-not-imported": gettext_lazy("Files linked but not imported"),
    "inferred-level": gettext_lazy("Levels read from the place in the tree"),
    "late-element": gettext_lazy("Elements that came too late to be read"),
    "moved-below-closed": gettext_lazy(
        "Records withdrawn because they now lie under a record that is not open"
    ),
    "translation": gettext_lazy("English translations kept in part"),
    "untitled": gettext_lazy("Components without a title"),
    "xlsx-sheet": gettext_lazy("Sheets of the workbook"),
}

CSV_COLUMNS = ("severity", "kind", "file", "line", "field", "message", "words")
# A cell starting with one of these is a formula to Excel: the file's own text
# must not run as one in the editor's spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def status_line(data):
    """What became of a finished import, in one line; never "Finished" when
    nothing could be imported."""
    status = data.get("status")
    if status == "problems":
        count = data.get("counts", {}).get("problems", 0)
        return ngettext(
            "Not imported: %(count)d problem",
            "Not imported: %(count)d problems",
            count,
        ) % {"count": count}
    if status == "checked":
        return _("Checked, nothing imported (dry run)")
    if status == "nothing":
        return _("Nothing imported: every row was left out")
    return _("Finished")


def _group(title, entries, show_message=False):
    return {
        "title": title,
        "count": len(entries),
        "entries": entries[:PAGE_LIMIT],
        "more": max(len(entries) - PAGE_LIMIT, 0),
        "show_message": show_message,
    }


def _by(entries, key):
    groups = {}
    for entry in entries:
        groups.setdefault(key(entry), []).append(entry)
    # The largest first; among equals, in the order of the file.
    return sorted(groups.items(), key=lambda item: -len(item[1]))


def problem_groups(problems):
    """Problems grouped by message; those alone in their group together last."""
    groups, alone = [], []
    for message, entries in _by(problems, lambda entry: entry["message"]):
        if len(entries) > 1:
            groups.append(_group(message, entries))
        else:
            alone += entries
    if alone:
        title = _("Other problems") if groups else _("Problems")
        groups.append(_group(title, alone, show_message=True))
    return groups


def warning_groups(notices):
    """Warnings grouped by their kind."""
    return [
        _group(WARNING_KINDS.get(kind) or kind or _("Other warnings"), entries, True)
        for kind, entries in _by(notices, lambda entry: entry.get("kind", ""))
    ]


def review_groups(review):
    """Rows for review grouped by their wording and the reason it is not open."""
    return [
        {**_group(reason, entries), "words": words}
        for (words, reason), entries in _by(
            review, lambda entry: (entry["words"], entry["reason"])
        )
    ]


def _not_listed(counted, listed):
    hidden = counted - listed
    return hidden if hidden > 0 else 0


def page(data):
    """The job page's context from the stored report."""
    counts = data.get("counts", {})
    problems = data.get("problems", [])
    notices = data.get("notices", [])
    review = data.get("review", [])
    return {
        "status_line": status_line(data),
        "counts": counts,
        "skipped": data.get("skipped", []),
        "problem_groups": problem_groups(problems),
        "problems_not_listed": _not_listed(counts.get("problems", 0), len(problems)),
        "warning_groups": warning_groups(notices),
        "warnings_not_listed": _not_listed(counts.get("notices", 0), len(notices)),
        "review_groups": review_groups(review),
        "review_not_listed": _not_listed(counts.get("review", 0), len(review)),
        # A report stored before reports were data: its lines as they were.
        "lines": data.get("lines", []),
    }


def _cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_rows(data, file_name=""):
    """The report's rows for its CSV download, the header first: every
    problem, warning and row for review the job kept."""
    yield CSV_COLUMNS
    counts = data.get("counts", {})

    def row(severity, kind, entry, message, words=""):
        return [
            _cell(value)
            for value in (
                severity,
                kind,
                entry.get("file") or file_name,
                entry.get("number"),
                entry.get("field", ""),
                message,
                words,
            )
        ]

    def more(severity, counted, listed):
        hidden = _not_listed(counted, listed)
        if hidden:
            message = _("… and %(count)d more.") % {"count": hidden}
            return [[severity, "not-listed", "", "", "", message, ""]]
        return []

    problems = data.get("problems", [])
    for entry in problems:
        yield row("problem", "", entry, entry["message"])
    yield from more("problem", counts.get("problems", 0), len(problems))
    notices = data.get("notices", [])
    for entry in notices:
        yield row("warning", entry.get("kind", ""), entry, entry["message"])
    yield from more("warning", counts.get("notices", 0), len(notices))
    review = data.get("review", [])
    for entry in review:
        yield row("review", "", entry, entry["reason"], entry["words"])
    yield from more("review", counts.get("review", 0), len(review))
    for line in data.get("lines", []):
        yield ["", "", "", "", "", _cell(line), ""]
