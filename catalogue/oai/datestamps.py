"""When a record changed for a harvester, and dates as OAI-PMH writes them.

A record's datestamp (`Record.datestamp`) moves whenever its public description
or its public state changes. A record waiting for its opening date (its
`gate_opens_on`, the latest among its ancestors) is stamped with the moment it
opens, local midnight of that day: it becomes public then without anyone
touching it, and an incremental harvest from any time before that moment
finds it.

A fonds or a series is disseminated in `ead` as the finding aid of its public
subtree, so a change below it that a harvester can see (a record written,
leaving or entering the public, moved, deleted) changes its metadata too: its
writers move the datestamps of the fonds and series above the record as well
(`restamp_finding_aids`), a few rows however large the subtree.

Times are kept by Django in UTC; OAI-PMH writes them to the second with a Z.
"""

import datetime
import re

from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone

UTC = datetime.UTC
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SECOND = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$")
DAY, SECOND = "YYYY-MM-DD", "YYYY-MM-DDThh:mm:ssZ"
SECOND_STEP = datetime.timedelta(seconds=1)
# Opening dates per UPDATE of `restamp`: two parameters each, well within
# what SQLite takes in one statement.
DAYS_PER_UPDATE = 400
# Ancestors per UPDATE of `restamp_finding_aids`.
IDS_PER_UPDATE = 500


def opens_at(day: datetime.date) -> datetime.datetime:
    """The moment a record with this opening date becomes public: the gate
    compares it with the local date (timezone.localdate())."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def stamp(opens_on, now=None):
    """The datestamp of a record written now: now, or its opening moment if
    that is still to come."""
    now = now or timezone.now()
    if opens_on is not None and opens_on > timezone.localdate(now):
        return opens_at(opens_on)
    return now


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class BadDate(ValueError):
    pass


def parse(text: str) -> tuple[datetime.datetime, str]:
    """A from/until argument: (its first moment, UTC, and its granularity).

    The day granularity stands for the whole day: `until` takes it to the
    day's end, see `upper_bound`.
    """
    found = _SECOND.match(text)
    granularity = SECOND
    if found is None:
        found = _DAY.match(text)
        granularity = DAY
    if found is None:
        raise BadDate(text)
    try:
        moment = datetime.datetime(*map(int, found.groups()), tzinfo=UTC)
    except ValueError as error:
        raise BadDate(text) from error
    return moment, granularity


def upper_bound(moment, granularity):
    """The first moment after an `until` argument (bounds are inclusive, and
    datestamps carry fractions of a second the protocol does not show)."""
    step = datetime.timedelta(days=1) if granularity == DAY else SECOND_STEP
    try:
        return moment + step
    except OverflowError:
        return None


def restamp(records, now=None):
    """Give every record of a queryset the datestamp of a change made now: those
    waiting for an opening date get its moment.

    One UPDATE for the records already open, one per few hundred opening
    dates still to come (an archive may open items day by day).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    records = records.order_by()
    records.exclude(gate_opens_on__gt=today).update(datestamp=now)
    waiting = list(
        records.filter(gate_opens_on__gt=today)
        .values_list("gate_opens_on", flat=True)
        .distinct()
    )
    for start in range(0, len(waiting), DAYS_PER_UPDATE):
        days = waiting[start : start + DAYS_PER_UPDATE]
        records.filter(gate_opens_on__in=days).update(
            datestamp=Case(
                *[When(gate_opens_on=day, then=Value(opens_at(day))) for day in days],
                output_field=DateTimeField(),
            )
        )


def restamp_finding_aids(paths, now=None):
    """Restamp the fonds and series named in `paths` (records' paths: their
    ancestors), whose finding aids hold the records below them.

    catalogue/models.py imports this module: the model and the levels are
    imported when this runs.
    """
    from ..models import SEGMENT, Record
    from ..pages import EAD_LEVELS

    ids = sorted(
        {
            int(path[start : start + SEGMENT])
            for path in paths
            for start in range(0, len(path), SEGMENT)
        }
    )
    records = Record.objects
    levels = [str(level) for level in EAD_LEVELS]
    for start in range(0, len(ids), IDS_PER_UPDATE):
        chunk = ids[start : start + IDS_PER_UPDATE]
        restamp(records.filter(pk__in=chunk, level__in=levels), now)
