"""The bulk writer: the models' rules before any write, links' snapshot and history on every
record, a number of queries that does not grow with the batch."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portolan.catalogue import services
from portolan.catalogue.models import Initiative
from portolan.catalogue.services import BulkRow, records_bulk_write
from portolan.core.models import Audience, Goal, Theme
from portolan.testing.factories import (
    InitiativeFactory,
    OrganisationFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return OrganisationFactory(slug="owner")


def _initiative(owner, n, **values):
    fields = {
        "title": f"Harbour days {n}",
        "slug": f"harbour-days-{n}",
        "summary": "Pupils visit the port.",
        "organisation": owner,
        "port_city": owner.port_city,
        "publication_status": "published",
    }
    fields.update(values)
    return Initiative(**fields)


def _links(n=0):
    return {
        "themes": list(Theme.objects.filter(slug__in=["education", "heritage"])),
        "goals": list(Goal.objects.filter(number__in=[1, 6])),
        "audiences": list(Audience.objects.filter(slug="schools")),
        "partners": [],
    }


def test_every_bad_row_is_reported_and_nothing_is_written(owner):
    rows = [
        BulkRow(record=_initiative(owner, 1), label="line 2"),
        BulkRow(record=_initiative(owner, 2, title=""), label="line 3"),
        BulkRow(
            record=_initiative(owner, 3, start_year=2022, end_year=2020, port_city=None),
            label="line 4",
        ),
    ]
    with pytest.raises(ValidationError) as caught:
        records_bulk_write(model=Initiative, creates=rows, actor=None, reason="test")
    errors = caught.value.message_dict
    assert set(errors) == {"line 3", "line 4"}
    assert any(m.startswith("title: ") for m in errors["line 3"])
    assert any(m.startswith("end_year: ") for m in errors["line 4"])
    assert any(m.startswith("port_city: ") for m in errors["line 4"])
    assert Initiative.objects.count() == 0
    assert Initiative.history.count() == 0


def test_created_records_have_their_links_their_snapshot_and_a_history_row(owner):
    staff = StaffFactory()
    row = BulkRow(record=_initiative(owner, 1), links=_links())
    records_bulk_write(model=Initiative, creates=[row], actor=staff, reason="import")
    initiative = Initiative.objects.get()
    assert sorted(initiative.themes.values_list("slug", flat=True)) == ["education", "heritage"]
    expected = {
        "audiences": ["schools"],
        "goals": [1, 6],
        "partners": [],
        "themes": ["education", "heritage"],
    }
    assert initiative.linked == expected
    version = initiative.history.get()
    assert (version.history_user, version.history_change_reason) == (staff, "import")
    assert version.history_type == "+"
    assert version.linked == expected


def test_an_update_that_leaves_links_out_keeps_them_in_its_version(owner):
    initiative = InitiativeFactory(organisation=owner, port_city=owner.port_city)
    initiative.themes.set(Theme.objects.filter(slug="energy"))
    initiative.title = "New title"
    records_bulk_write(
        model=Initiative,
        updates=[BulkRow(record=initiative, links={"goals": list(Goal.objects.filter(number=3))})],
        update_fields=["title"],
        actor=None,
        reason="import",
    )
    latest = Initiative.objects.get().history.first()
    assert latest.title == "New title"
    assert latest.linked["themes"] == ["energy"]
    assert latest.linked["goals"] == [3]
    assert list(initiative.themes.values_list("slug", flat=True)) == ["energy"]


def test_a_bulk_written_version_can_be_restored_with_its_links(owner):
    staff = StaffFactory()
    row = BulkRow(record=_initiative(owner, 1), links=_links())
    records_bulk_write(model=Initiative, creates=[row], actor=staff, reason="import")
    initiative = Initiative.objects.get()
    first = initiative.history.get()
    initiative.themes.clear()
    services.record_restore(actor=staff, record=initiative, history_id=first.history_id)
    assert sorted(initiative.themes.values_list("slug", flat=True)) == ["education", "heritage"]


@pytest.mark.parametrize("size", [2, 20])
def test_queries_do_not_grow_with_the_batch(owner, size, django_assert_max_num_queries):
    existing = [
        InitiativeFactory(organisation=owner, port_city=owner.port_city) for _ in range(size)
    ]
    for record in existing:
        record.summary = "Changed."
    creates = [BulkRow(record=_initiative(owner, n), links=_links()) for n in range(size)]
    updates = [BulkRow(record=record) for record in existing]
    with django_assert_max_num_queries(16):
        records_bulk_write(
            model=Initiative,
            creates=creates,
            updates=updates,
            update_fields=["summary"],
            actor=None,
            reason="test",
        )
    assert Initiative.objects.filter(summary="Changed.").count() == size
    assert Initiative.history.filter(history_change_reason="test").count() == 2 * size


def test_two_batch_sizes_cost_the_same_queries(owner):
    counts = []
    for size in (2, 20):
        creates = [
            BulkRow(record=_initiative(owner, f"{size}-{n}"), links=_links()) for n in range(size)
        ]
        with CaptureQueriesContext(connection) as captured:
            records_bulk_write(model=Initiative, creates=creates, actor=None, reason="test")
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_repeated_bad_value_is_reported_on_every_row(owner):
    # Verdicts on repeated values are reused within a call: the second row must fail too.
    rows = [
        BulkRow(record=_initiative(owner, n, summary="See <b>this</b>"), label=f"line {n}")
        for n in (1, 2)
    ]
    with pytest.raises(ValidationError) as caught:
        records_bulk_write(model=Initiative, creates=rows, actor=None, reason="test")
    errors = caught.value.message_dict
    assert set(errors) == {"line 1", "line 2"}
    assert errors["line 1"] == errors["line 2"]
    assert errors["line 1"][0].startswith("summary: ")


def test_repeated_values_are_cleaned_on_every_row(owner):
    rows = [
        BulkRow(record=_initiative(owner, n, funding_sources="  City   and port  ")) for n in (1, 2)
    ]
    records_bulk_write(model=Initiative, creates=rows, actor=None, reason="test")
    assert [r.record.funding_sources for r in rows] == ["City and port"] * 2
    assert set(Initiative.objects.values_list("funding_sources", flat=True)) == {"City and port"}


def test_bulk_ids_stay_in_step_with_ordinary_saves(owner):
    first = InitiativeFactory(organisation=owner, port_city=owner.port_city)
    rows = [BulkRow(record=_initiative(owner, n)) for n in range(3)]
    records_bulk_write(model=Initiative, creates=rows, actor=None, reason="test")
    ids = [row.record.pk for row in rows]
    assert ids == sorted(ids) and ids[0] > first.pk
    assert all(not row.record._state.adding for row in rows)
    later = InitiativeFactory(organisation=owner, port_city=owner.port_city)
    assert later.pk > ids[-1]
    assert Initiative.history.filter(id__in=ids, history_type="+").count() == 3


def test_restoring_keeps_ids_slugs_and_dates_and_adds_one_version_saying_so(owner):
    from datetime import timedelta

    from django.utils import timezone

    staff = StaffFactory()
    long_ago = timezone.now() - timedelta(days=400)
    record = _initiative(owner, 1, id=4242, created_at=long_ago, updated_at=long_ago)
    records_bulk_write(
        model=Initiative,
        creates=[BulkRow(record=record, links=_links(), label="initiative 4242")],
        actor=staff,
        reason="Restored from backup b.json",
        restoring=True,
    )
    restored = Initiative.objects.get()
    assert (restored.pk, restored.slug) == (4242, "harbour-days-1")
    assert restored.created_at == long_ago and restored.updated_at == long_ago
    assert restored.linked["themes"] == ["education", "heritage"]
    version = restored.history.get()
    assert version.history_type == "~"  # the record existed before; this is its restore
    assert (version.history_user, version.history_change_reason) == (
        staff,
        "Restored from backup b.json",
    )
    assert timezone.now() - version.history_date < timedelta(minutes=1)


def test_restoring_checks_the_rules_like_any_write(owner):
    bad = _initiative(owner, 1, id=7, start_year=1200)
    with pytest.raises(ValidationError) as caught:
        records_bulk_write(
            model=Initiative,
            creates=[BulkRow(record=bad, links=_links(), label="initiative 7")],
            actor=None,
            reason="restore",
            restoring=True,
        )
    assert any(m.startswith("start_year: ") for m in caught.value.message_dict["initiative 7"])
    assert Initiative.objects.count() == 0
    with pytest.raises(ValueError, match="primary key"):
        records_bulk_write(
            model=Initiative,
            creates=[BulkRow(record=_initiative(owner, 2))],
            actor=None,
            reason="restore",
            restoring=True,
        )


def test_validated_rows_are_not_checked_again(owner, monkeypatch):
    from portolan.catalogue.services import bulk

    calls = []
    monkeypatch.setattr(bulk, "record_errors", lambda record, memo=None: calls.append(record) or {})
    row = BulkRow(record=_initiative(owner, 1), links=_links())
    records_bulk_write(model=Initiative, creates=[row], actor=None, reason="x", validated=True)
    assert calls == [] and Initiative.objects.count() == 1
    records_bulk_write(
        model=Initiative, creates=[BulkRow(record=_initiative(owner, 2))], actor=None, reason="x"
    )
    assert len(calls) == 1
