"""The first law: only open records are public, and nothing below a closed one."""

import datetime
import random

import pytest

from catalogue.models import AccessStatus, Record
from tests.factories import (
    FileFactory,
    FondsFactory,
    ItemFactory,
    RepositoryFactory,
    SeriesFactory,
)

TODAY = datetime.date(2026, 11, 21)
LEVELS = ["fonds", "series", "file", "item"]


def own_gate(record, today):
    return (
        record.access_status == AccessStatus.OPEN
        and not record.withdrawn
        and (record.opening_date is None or record.opening_date <= today)
    )


def expected_public(today):
    """The gate spelt out the slow way: the record and every ancestor pass."""
    records = {r.pk: r for r in Record.objects.all()}
    public = set()
    for record in records.values():
        chain, current = [], record
        while current is not None:
            chain.append(current)
            current = records.get(current.parent_id)
        if all(own_gate(r, today) for r in chain):
            public.add(record.pk)
    return public


def generate_tree(seed, size=120):
    """A mixed tree: levels skipped, closed branches, dates past and future."""
    rng = random.Random(seed)
    repository = RepositoryFactory()
    records = []
    for n in range(size):
        parent = rng.choice(records) if records and rng.random() < 0.85 else None
        if parent is not None and parent.level == "item":
            parent = None
        level_index = 0 if parent is None else LEVELS.index(parent.level) + 1
        # Item-level arrangement skips the file: sometimes jump a level.
        if parent is not None and level_index < 3 and rng.random() < 0.2:
            level_index += 1
        code = (parent.reference_code if parent else f"G{seed}") + f"-{n:04d}"
        opening = None
        if rng.random() < 0.25:
            opening = TODAY + datetime.timedelta(days=rng.randint(-400, 400))
        records.append(
            Record.objects.create(
                repository=repository,
                parent=parent,
                level=LEVELS[level_index],
                reference_code=code,
                title=f"第{n}号档案",
                access_status=rng.choices(
                    [AccessStatus.OPEN, AccessStatus.CONTROLLED, AccessStatus.CLOSED],
                    weights=[8, 1, 1],
                )[0],
                opening_date=opening,
                withdrawn=rng.random() < 0.05,
            )
        )
    return rng, records


def public_ids(today):
    return set(Record.objects.public(today=today).values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generated_trees_show_exactly_the_public_records(seed):
    generate_tree(seed)
    for day in (TODAY, TODAY + datetime.timedelta(days=200), datetime.date(2030, 1, 1)):
        assert public_ids(day) == expected_public(day)
    assert 0 < len(public_ids(TODAY)) < Record.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [5, 6])
def test_the_gate_follows_every_edit(seed):
    rng, records = generate_tree(seed, size=80)
    for _ in range(40):
        record = Record.objects.get(pk=rng.choice(records).pk)
        change = rng.choice(["status", "withdraw", "opening", "move"])
        if change == "status":
            record.access_status = rng.choice(list(AccessStatus))
        elif change == "withdraw":
            record.withdrawn = not record.withdrawn
        elif change == "opening":
            record.opening_date = TODAY + datetime.timedelta(days=rng.randint(-9, 9))
        else:
            candidates = [
                r
                for r in Record.objects.exclude(level="item")
                if not r.is_within(record)
            ]
            record.parent = rng.choice(candidates) if candidates else None
        record.save()
        assert public_ids(TODAY) == expected_public(TODAY), change


@pytest.mark.django_db
def test_a_record_opens_on_its_opening_day_without_anyone_touching_it():
    item = ItemFactory(opening_date=datetime.date(2026, 12, 1))
    assert not Record.objects.public(today=datetime.date(2026, 11, 30)).filter(
        pk=item.pk
    )
    assert Record.objects.public(today=datetime.date(2026, 12, 1)).filter(pk=item.pk)


@pytest.mark.django_db
def test_a_closed_fonds_hides_everything_below_it():
    item = ItemFactory()
    fonds = item.parent.parent.parent
    assert item.is_public
    fonds.access_status = AccessStatus.CLOSED
    fonds.save()
    assert not Record.objects.public().filter(pk__in=[item.pk, fonds.pk]).exists()
    assert Record.objects.public().count() == 0


@pytest.mark.django_db
def test_withdrawing_a_series_hides_its_subtree_and_nothing_else():
    series = SeriesFactory()
    inside = FileFactory(parent=series)
    outside = FileFactory(parent=SeriesFactory(parent=series.parent))
    series.withdrawn = True
    series.save()
    public = public_ids(TODAY)
    assert series.pk not in public and inside.pk not in public
    assert outside.pk in public


@pytest.mark.django_db
def test_moving_a_file_rewrites_the_paths_below_it():
    file = FileFactory()
    item = ItemFactory(parent=file)
    new_series = SeriesFactory()
    file.parent = new_series
    file.save()
    item.refresh_from_db()
    assert [a.pk for a in item.ancestors()] == [
        new_series.parent_id,
        new_series.pk,
        file.pk,
    ]
    assert set(Record.objects.subtree(new_series).values_list("pk", flat=True)) == {
        new_series.pk,
        file.pk,
        item.pk,
    }


@pytest.mark.django_db
def test_a_record_cannot_be_moved_below_itself():
    file = FileFactory()
    item = ItemFactory(parent=file)
    file.parent = item
    with pytest.raises(ValueError):
        file.save()


@pytest.mark.django_db
def test_reference_codes_are_stored_normalised_and_split():
    fonds = FondsFactory(reference_code="j0001")
    series = SeriesFactory(parent=fonds, reference_code="J0001－001")
    assert fonds.reference_code == "J0001"
    assert (series.fonds_code, series.series_code) == ("J0001", "001")
