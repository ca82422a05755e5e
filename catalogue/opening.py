"""When a record opened to the public: `Record.opened_on`, for 新开放档案.

The archive publishes its open catalogue regularly (定期公布开放档案目录): the
newly opened records, by the day they opened. That day is not the opening date
an editor wrote (a record may be opened by appraisal long after it, or be
written already open) and not the datestamp (any edit moves it): it is the
day the record entered the public, kept in `opened_on` and moved only when
the record goes through the gate.

The rule reads the gate columns as they are after a write, and the day kept
before it, so the writers that set the gate (Record.refresh_gate and the
import) apply it without knowing what the gate was:

- not through the gate (closed, withdrawn, below such a record): no day;
- public before the write and still public today: the day it had;
- anything else: today, or the opening date still to come (the gate lets the
  record in that day without anyone writing it, and the day is already kept).

A record that was public keeps its day (opened_on <= today) only while its
gate_opens_on is not in the future: `opened_on <= today` tells that it was
public, since the day is never earlier than the opening date it was set with.
"""

import datetime

from django.db.models import Case, F, Q, Value, When


def opened_on(gate_open, gate_opens_on, kept, today) -> datetime.date | None:
    """The rule for one record (the import computes its rows with it)."""
    if not gate_open:
        return None
    open_today = gate_opens_on is None or gate_opens_on <= today
    if kept is not None and kept <= today and open_today:
        return kept
    return today if open_today else gate_opens_on


def mark(records, today):
    """The rule for a queryset, in one UPDATE of the rows it changes.

    Rows public before and after keep their day and are not written: on a
    fonds of a million records, only those that moved through the gate are.
    """
    open_today = Q(gate_opens_on__isnull=True) | Q(gate_opens_on__lte=today)
    records.order_by().filter(
        Q(gate_open=False, opened_on__isnull=False)
        | Q(gate_open=True, opened_on__isnull=True)
        | Q(gate_open=True, opened_on__gt=today)
        | Q(gate_open=True, gate_opens_on__gt=today)
    ).update(
        opened_on=Case(
            When(gate_open=False, then=Value(None)),
            When(Q(opened_on__lte=today) & open_today, then=F("opened_on")),
            When(gate_opens_on__gt=today, then=F("gate_opens_on")),
            default=Value(today),
        )
    )
