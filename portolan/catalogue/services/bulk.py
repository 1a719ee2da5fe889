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
records whose links are not given, one to reserve the new records' ids, one insert of records
and one of history rows (plus one update) per model, one delete and one insert per written
relation. New records and their history rows are plain rows of the fields' database values
(`Field.get_db_prep_save`, as Django's own inserts), written with COPY on PostgreSQL and one
executemany on SQLite: no SQL compiled per batch of 999 parameters, no historical model
instance per row. Updates, and the records a restore puts back (Django's `bulk_create`, then one
update of the kept dates), go through Django's and simple-history's bulk helpers, split every
2,000 rows (and on SQLite every 999 parameters).

Validation runs every field's rules through `Field.clean`, like `Model.full_clean`, and the
model's `clean()` per record; within one call a field's verdict on a value it already judged
(the same city name, the same status...) is reused rather than computed again: the field rules
depend on the value only (relations, whose checks need the database, are checked by presence)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models.expressions import DatabaseDefault
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


# A field's verdict on a value: the cleaned value, or the errors it raised.
_Verdict = tuple[Any, list[ValidationError] | None]
# Memo of field verdicts for one bulk call: {(field attname, value type, value): verdict}.
Memo = dict[tuple[str, type, Any], _Verdict]
# Bounds the memo of one call (values that never repeat, such as slugs, would fill it).
_MEMO_MAX = 200_000


_FIELDS: dict[type[Model], tuple[list[Any], list[Any]]] = {}


def _plain_fields(model: type[Model]) -> tuple[list[Any], list[Any]]:
    """(value fields whose rules depend on the value only, relations) of a model. Django's
    `Model.clean_fields` checks the same value fields; relations need a query per row."""
    if model in _FIELDS:
        return _FIELDS[model]
    relations = [f for f in model._meta.get_fields() if f.is_relation and f.concrete]
    names = {f.name for f in relations}
    plain = [f for f in model._meta.fields if f.name not in names and not f.generated]
    _FIELDS[model] = (plain, relations)
    return plain, relations


def _clean_fields(record: Any, plain: Sequence[Any], memo: Memo | None) -> dict[str, list[Any]]:
    """`Model.clean_fields` on `plain`, each verdict looked up in `memo` first."""
    errors: dict[str, list[Any]] = {}
    for f in plain:
        raw = getattr(record, f.attname)
        if f.blank and raw in f.empty_values:
            continue
        if isinstance(raw, DatabaseDefault):
            continue
        key = None
        if memo is not None:
            try:
                key = (f.attname, type(raw), raw)
                verdict = memo.get(key)
            except TypeError:  # unhashable (JSON values): judged every time
                key, verdict = None, None
            if verdict is not None:
                if verdict[1] is None:
                    setattr(record, f.attname, verdict[0])
                else:
                    errors[f.name] = verdict[1]
                continue
        try:
            cleaned = f.clean(raw, record)
        except ValidationError as exc:
            errors[f.name] = exc.error_list
            verdict = (None, exc.error_list)
        else:
            setattr(record, f.attname, cleaned)
            verdict = (cleaned, None)
        if key is not None and memo is not None and len(memo) < _MEMO_MAX:
            memo[key] = verdict
    return errors


def record_errors(record: Any, memo: Memo | None = None) -> dict[str, list[str]]:
    """Every field rule of the record's model, checked in memory: foreign keys and many-to-many
    lists are resolved by bulk callers in a few queries for the whole batch, so their per-row
    lookups (a query each) are skipped and only their presence is checked; uniqueness is left to
    the database. The staff import's dry run reports these same messages. This is
    `Model.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)`;
    `memo` (shared by the records of one call) reuses a field's verdict on a repeated value."""
    plain, relations = _plain_fields(type(record))
    messages: dict[str, list[str]] = {}
    for field in relations:
        if field.many_to_one and not field.null and getattr(record, field.attname) is None:
            messages[field.name] = [str(field.error_messages["null"])]
    errors: dict[str, Any] = _clean_fields(record, plain, memo)
    # Model.clean() runs even when a field failed, as in full_clean.
    try:
        record.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        for name, field_messages in ValidationError(errors).message_dict.items():
            messages.setdefault(name, []).extend(field_messages)
    return messages


def _validate(rows: Sequence[BulkRow]) -> None:
    errors: dict[str, list[str]] = {}
    memo: Memo = {}
    for position, row in enumerate(rows, start=1):
        messages = record_errors(row.record, memo)
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


def _reserve_ids(model: BulkModel, count: int) -> list[int]:
    """`count` new primary keys for `model`, taken so that no other writer can take them."""
    qn = connection.ops.quote_name
    table, column = model._meta.db_table, str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [qn(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: a write statement takes the database's write lock for the rest of the
        # transaction (no other connection can insert until it ends), then the highest id
        # ever given (AUTOINCREMENT keeps it in sqlite_sequence) is read.
        cursor.execute("UPDATE sqlite_sequence SET seq = seq WHERE name = %s", [table])
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
            f"COALESCE((SELECT MAX({qn(column)}) FROM {qn(table)}), 0))",
            [table],
        )
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + count))


def _history_columns(model: BulkModel) -> tuple[list[str], list[str], list[str]] | None:
    """(history table columns, the record attnames they copy, the history's own columns), or
    None when the historical model has fields this writer does not know how to fill."""
    history = model.history.model  # type: ignore[union-attr]
    tracked = list(history.tracked_fields)
    own = ["history_date", "history_change_reason", "history_type", "history_user"]
    known = {f.attname for f in tracked} | {"history_id"}
    known |= {history._meta.get_field(name).attname for name in own}
    if {f.attname for f in history._meta.concrete_fields} - known:
        return None
    columns = [history._meta.get_field(f.name).column for f in tracked]
    return columns, [f.attname for f in tracked], [history._meta.get_field(n).column for n in own]


def _create_with_history(
    model: BulkModel, records: Sequence[Any], actor: User | None, reason: str
) -> None:
    """Insert new records and their "+" history rows, as `bulk_create_with_history` would
    (same values, same history user and change reason rules), from plain rows."""
    layout = _history_columns(model)
    if layout is None:
        bulk_create_with_history(
            list(records),
            model,
            batch_size=_BATCH,
            default_user=actor,
            default_change_reason=reason,
        )
        return
    history_columns, tracked, own_columns = layout
    history = model.history.model  # type: ignore[union-attr]
    fields = list(model._meta.concrete_fields)
    position = {f.attname: i for i, f in enumerate(fields)}
    copied = [position[name] for name in tracked]
    now = timezone.now()
    # The connection itself, not the `django.db.connection` proxy that looks it up again on
    # each of the fields' many attribute reads.
    db = connections[DEFAULT_DB_ALIAS]
    rows: list[tuple[Any, ...]] = []
    history_rows: list[tuple[Any, ...]] = []
    for record, pk in zip(records, _reserve_ids(model, len(records)), strict=True):
        record._prepare_related_fields_for_save(operation_name="bulk_create")
        record.pk = pk
        values = tuple(f.get_db_prep_save(f.pre_save(record, True), db) for f in fields)
        rows.append(values)
        user = getattr(record, "_history_user", None) or actor
        if user is None:
            user = history.get_default_history_user(record)
        history_rows.append(
            (
                *(values[i] for i in copied),
                getattr(record, "_history_date", None) or now,
                getattr(record, "_change_reason", None) or reason,
                "+",
                user.pk if user is not None else None,
            )
        )
        record._state.adding = False
        record._state.db = db.alias
    insert_rows(model._meta.db_table, [str(f.column) for f in fields], rows)
    insert_rows(history._meta.db_table, [*history_columns, *own_columns], history_rows)


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
        _create_with_history(model, [row.record for row in creates], actor, reason)
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
