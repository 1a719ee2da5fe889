"""Many records written at once (staff import, demo generation, reference data) under the same
rules and history as the editor's services, at a cost in queries that does not grow per row.

`records_bulk_write` validates every record with its model's rules before anything is written
(one ValidationError naming every bad row), stores the `linked` snapshot the history needs to
show and restore links, writes the history rows with simple-history's bulk helpers and the
many-to-many rows straight into the through tables. It sends no save signals: callers bring
search in step themselves (the import reindexes what it wrote, demo generation rebuilds).

Two callers bring their own guarantees: the staff import has already run `record_errors` on
every row to report each cell's error in its dry run (`validated=True`: the rules are not run a
second time), and a backup restore puts records back as they were (`restoring=True`: ids,
slugs and dates kept, one history entry per record saying it was restored).

Queries per call, whatever the number of rows: one per relation to read the links of updated
records whose links are not given, one insert of records and one of history rows (plus one
update) per model, one delete and one insert per written relation. Inserts are split every
2,000 rows, and on SQLite every 999 parameters (about 25 records): one more query each time.
A restore adds one update of the kept dates (split like the inserts)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_manager_for_model,
)

from portolan.accounts.models import Organisation, User

from ..models import Initiative, PortCenter
from ._base import _INITIATIVE_M2M, _PORT_CENTER_M2M, linked_snapshot

if TYPE_CHECKING:
    from django.db.models import Model

BulkModel = type[Initiative] | type[PortCenter] | type[Organisation]
# The models the writer takes, parents first (Port Centers and initiatives link organisations).
BULK_MODELS: tuple[BulkModel, ...] = (Organisation, PortCenter, Initiative)

_LINKS: dict[type[Model], dict[str, tuple[type[Model], str]]] = {
    Initiative: _INITIATIVE_M2M,
    PortCenter: _PORT_CENTER_M2M,
    Organisation: {},
}
# Large enough to keep the number of statements low, small enough to bound their size.
_BATCH = 2000


@dataclass
class BulkRow:
    """One record to write. `links` maps a many-to-many field to the objects it will hold;
    a field left out keeps its current links (none for a new record). `label` names the row in
    error messages (e.g. "line 4")."""

    record: Any
    links: Mapping[str, Sequence[Model]] | None = None
    label: str = ""


def record_errors(record: Any) -> dict[str, list[str]]:
    """Every field rule of the record's model, checked in memory: foreign keys and many-to-many
    lists are resolved by bulk callers in a few queries for the whole batch, so their per-row
    lookups (a query each) are skipped and only their presence is checked; uniqueness is left to
    the database. The staff import's dry run reports these same messages."""
    model = type(record)
    relations = [f for f in model._meta.get_fields() if f.is_relation and f.concrete]
    exclude = [f.name for f in relations]
    messages: dict[str, list[str]] = {}
    for field in relations:
        if field.many_to_one and not field.null and getattr(record, field.attname) is None:  # type: ignore[union-attr]
            messages[field.name] = [str(field.error_messages["null"])]  # type: ignore[union-attr]
    try:
        record.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, field_messages in exc.message_dict.items():
            messages.setdefault(name, []).extend(field_messages)
    return messages


def _validate(rows: Sequence[BulkRow]) -> None:
    errors: dict[str, list[str]] = {}
    for position, row in enumerate(rows, start=1):
        messages = record_errors(row.record)
        if messages:
            errors[row.label or f"row {position}"] = [
                message if name == "__all__" else f"{name}: {message}"
                for name, field_messages in messages.items()
                for message in field_messages
            ]
    if errors:
        raise ValidationError(errors)


def _current_links(model: BulkModel, ids: list[int]) -> dict[str, dict[int, list[Any]]]:
    """Links of existing records as snapshot keys: one query per relation for all of them."""
    current: dict[str, dict[int, list[Any]]] = {}
    for name, (_target, key) in _LINKS[model].items():
        field: Any = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        by_owner: dict[int, list[Any]] = {pk: [] for pk in ids}
        pairs = through._default_manager.filter(**{f"{source}_id__in": ids}).values_list(
            f"{source}_id", f"{target}__{key}"
        )
        for owner, value in pairs:
            by_owner[owner].append(value)
        current[name] = by_owner
    return current


def _set_snapshots(
    model: BulkModel, creates: Sequence[BulkRow], updates: Sequence[BulkRow]
) -> None:
    if not _LINKS[model]:
        return
    missing = [
        row.record.pk
        for row in updates
        if any(name not in (row.links or {}) for name in _LINKS[model])
    ]
    current = _current_links(model, missing) if missing else {}
    for row in [*creates, *updates]:
        kept = {name: by_owner.get(row.record.pk, []) for name, by_owner in current.items()}
        row.record.linked = linked_snapshot(row.record, row.links or {}, kept)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Plain rows of database values (ids, text) into a table: COPY on PostgreSQL, executemany
    on SQLite. Link rows are two ids each; model instances would cost more than the insert."""
    rows = list(rows)
    if not rows:
        return
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})", rows)  # noqa: S608


def write_links(model: BulkModel, rows: Sequence[BulkRow], *, replace: bool = True) -> int:
    """The many-to-many rows of records that have a primary key, straight into the through
    tables: `.set()` per record would send an m2m_changed signal per list (and a search reindex
    each). Returns the number of link rows written."""
    written = 0
    for name in _LINKS[model]:
        owners = [row for row in rows if row.links is not None and name in row.links]
        if not owners:
            continue
        field: Any = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_column_name(), field.m2m_reverse_name()
        if replace:
            through._default_manager.filter(
                **{f"{source}__in": [row.record.pk for row in owners]}
            ).delete()
        pairs = {(row.record.pk, obj.pk) for row in owners for obj in (row.links or {})[name]}
        insert_rows(through._meta.db_table, [source, target], sorted(pairs))
        written += len(pairs)
    return written


def _insert_as_they_were(
    model: BulkModel, rows: Sequence[BulkRow], *, actor: User | None, reason: str
) -> None:
    """Records that existed before (a backup's) inserted with their primary keys and dates,
    then one history version each: a change ("~") after the versions restored with them, by
    `actor` with `reason`. `bulk_create` stamps auto_now(_add) dates with the present time, so
    the given ones are put back with one `bulk_update` (which does not stamp them) before the
    history copies the records."""
    records = [row.record for row in rows]
    if not records:
        return
    stamped = [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    given = [[getattr(record, name) for name in stamped] for record in records]
    model._default_manager.bulk_create(records, batch_size=_BATCH)
    if stamped:
        for record, values in zip(records, given, strict=True):
            for name, value in zip(stamped, values, strict=True):
                setattr(record, name, value)
        model._default_manager.bulk_update(records, stamped, batch_size=_BATCH)
    get_history_manager_for_model(model).bulk_history_create(
        records,
        batch_size=_BATCH,
        update=True,
        default_user=actor,
        default_change_reason=reason,
    )


@transaction.atomic
def records_bulk_write(
    *,
    model: BulkModel,
    creates: Sequence[BulkRow] = (),
    updates: Sequence[BulkRow] = (),
    update_fields: Iterable[str] = (),
    actor: User | None,
    reason: str,
    validated: bool = False,
    restoring: bool = False,
) -> int:
    """Create `creates` and save `update_fields` of `updates` (records already in the database),
    all or nothing. Raises ValidationError({row label: ["field: message", ...]}) before any
    write. Returns the number of link rows written.

    `validated=True` says the caller ran `record_errors` on every row and changed none since
    (the import's plan); the rules then run once, not twice. `restoring=True` takes creates
    that carry their primary key (a backup's records): ids, slugs and created/updated dates are
    kept, the links' snapshot is made from the links given, and each record gets one history
    version recording the restore (who: `actor`, why: `reason`, when: now)."""
    for row in [*creates, *updates]:
        if not isinstance(row.record, model):
            raise TypeError(f"{row.record!r} is not a {model.__name__}")
        if set(row.links or {}) - set(_LINKS[model]):
            raise ValueError(f"Links given for fields {model.__name__} does not have.")
    if restoring:
        if updates or any(row.record.pk is None for row in creates):
            raise ValueError("A restore only creates records, each with its primary key.")
    elif any(row.record.pk is not None for row in creates) or any(
        row.record.pk is None for row in updates
    ):
        raise ValueError("Creates have no primary key yet; updates have one.")
    if not validated:
        _validate([*creates, *updates])
    _set_snapshots(model, creates, updates)
    if restoring:
        _insert_as_they_were(model, creates, actor=actor, reason=reason)
    elif creates:
        bulk_create_with_history(
            [row.record for row in creates],
            model,
            batch_size=_BATCH,
            default_user=actor,
            default_change_reason=reason,
        )
    if updates:
        fields = set(update_fields) | {"updated_at"}
        if _LINKS[model]:
            fields.add("linked")
        now = timezone.now()
        for row in updates:
            row.record.updated_at = now
        bulk_update_with_history(
            [row.record for row in updates],
            model,
            sorted(fields),
            batch_size=_BATCH,
            default_user=actor,
            default_change_reason=reason,
        )
    return write_links(model, creates, replace=False) + write_links(model, updates)


__all__ = [
    "BULK_MODELS",
    "BulkRow",
    "insert_rows",
    "record_errors",
    "records_bulk_write",
    "write_links",
]
