"""Full backup and restore of the platform's records as one JSON file.

File layout (documented on the open-data page and in README.md of this app):

    {"format": "portolan-backup", "version": 1, "created_at": "...", "include_users": false,
     "objects": [ ...django.core.serializers "json" objects, parents before children... ],
     "files": [ {"path": "attachments/2026/11/x.pdf", "size": 1234, "sha256": "...",
                 "missing": false}, ... ]}

Users are always listed (memberships, uploads and history rows point at them) but their password
hashes are replaced by an unusable marker unless `include_users` is set: a restored user then
sets a new password through "forgotten password". Personal API tokens, sessions and login
attempts are never backed up: they are credentials or transient."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext

from portolan.accounts.models import User
from portolan.catalogue.services import BulkRow, records_bulk_write
from portolan.catalogue.services.bulk import BULK_MODELS, BulkModel
from portolan.core.fields import UNKNOWN_VALUES_MESSAGE

from . import rows as catalogue_rows

FORMAT = "portolan-backup"
VERSION = 1
UNUSABLE_PASSWORD = "!backup-without-password"


class BackupError(Exception):
    pass


@dataclass
class RestoreReport:
    objects: int = 0
    files_copied: int = 0
    problems: list[str] = field(default_factory=list)


def _objects(include_users: bool) -> Iterator[Model]:
    for model in catalogue_rows.backup_models():
        # Prefetched lists are what the serializer reads instead of one query per record.
        m2m = [f.name for f in model._meta.many_to_many]
        queryset = model._default_manager.order_by("pk").prefetch_related(*m2m)
        for obj in queryset.iterator(chunk_size=2000):
            if isinstance(obj, User) and not include_users:
                obj.password = UNUSABLE_PASSWORD
                obj.last_login = None
            yield obj


def _chunks(objects: Iterator[Model], size: int) -> Iterator[list[Model]]:
    chunk: list[Model] = []
    for obj in objects:
        chunk.append(obj)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_manifest() -> list[dict[str, Any]]:
    """Every uploaded file the records point at: path under MEDIA_ROOT, size and SHA-256."""
    root = Path(settings.MEDIA_ROOT)
    entries: dict[str, dict[str, Any]] = {}
    for model, field_name in catalogue_rows.backup_file_fields():
        names = (
            model._default_manager.exclude(**{field_name: ""})
            .order_by("pk")
            .values_list(field_name, flat=True)
        )
        for name in names:
            if not name or name in entries:
                continue
            path = root / name
            if path.is_file():
                entries[name] = {
                    "path": name,
                    "size": path.stat().st_size,
                    "sha256": _sha256(path),
                    "missing": False,
                }
            else:
                entries[name] = {"path": name, "size": None, "sha256": None, "missing": True}
    return [entries[k] for k in sorted(entries)]


def write_backup(
    stream: IO[str] | Any, *, include_users: bool = False, media_dir: Path | None = None
) -> dict[str, Any]:
    """Write the backup to a text stream; with `media_dir`, copy the uploaded files there too.
    Returns the header and manifest (without the objects)."""
    manifest = file_manifest()
    header = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "include_users": include_users,
    }
    # Objects go to the stream in chunks so memory stays flat on big databases. The "python"
    # serializer plus our own encoder keeps microseconds, which Django's JSON encoder drops.
    stream.write(json.dumps(header)[:-1] + ', "objects": [')
    first = True
    for chunk in _chunks(_objects(include_users), 1000):
        for item in serializers.serialize("python", chunk):
            stream.write(("\n" if first else ",\n") + json.dumps(item, default=_encode))
            first = False
    stream.write("\n]")
    stream.write(', "files": ' + json.dumps(manifest, indent=1) + "}\n")
    if media_dir is not None:
        root = Path(settings.MEDIA_ROOT)
        for entry in manifest:
            if entry["missing"]:
                continue
            target = media_dir / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / entry["path"], target)
    return {**header, "files": manifest}


def read_backup(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} is not a readable JSON backup: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f'{path} is not a Portolan backup (no "format": "{FORMAT}").')
    if data.get("version") != VERSION:
        raise BackupError(f"Unsupported backup version {data.get('version')!r}.")
    return data


@transaction.atomic
def restore(
    *,
    data: dict[str, Any],
    source: str = "",
    user_email: str = "",
    media_dir: Path | None = None,
) -> RestoreReport:
    """Recreate every record with its ids into an empty database, in one transaction: all of
    the backup, or nothing (BackupError naming every problem).

    Organisations, Port Centers and initiatives are written by the catalogue's bulk writer, like
    every other write: the models' rules, the links' snapshot, and one history version per
    record that says it was restored (from `source`, by the staff user `user_email` when given,
    who must be in the backup; its date is the restore's). Ids, slugs and dates are kept, so
    links to the pages survive. The other objects (vocabulary, port cities, users, memberships,
    translations, attachments, moderation events) are checked with their models' rules and
    inserted as they are, and so are the backed-up history versions: the record of what was,
    not input."""
    if not catalogue_rows.database_is_empty():
        raise BackupError(
            "The database already holds port cities, organisations, users or records; "
            "restore only into an empty (freshly migrated) database."
        )
    # A fresh database already holds the vocabulary (loaded by a migration), maybe under other
    # ids: it is replaced by the backup's, so the restored ids match the backed-up ones.
    for model in reversed(catalogue_rows.backup_models()):
        model._default_manager.all().delete()
    report = RestoreReport()
    try:
        objects = list(serializers.deserialize("python", data.get("objects", [])))
    except (serializers.base.DeserializationError, TypeError, AttributeError) as exc:
        raise BackupError(f"The backup's objects cannot be loaded: {exc}") from exc
    by_model: dict[type[Model], list[Any]] = defaultdict(list)
    for item in objects:
        by_model[type(item.object)].append(item)
    unknown = set(by_model) - set(catalogue_rows.backup_models())
    if unknown:
        raise BackupError(
            gettext("The backup holds objects a backup never has: %(models)s.")
            % {"models": ", ".join(sorted(m._meta.label_lower for m in unknown))}
        )
    problems = [
        problem
        for item in objects
        if type(item.object) not in BULK_MODELS
        for problem in _problems(item.object)
    ]
    _raise_problems(problems)
    try:
        first, rest = _restore_order()
        # Everything the records' history points at, and that history itself; the sequences
        # are moved past the restored ids before the writer adds the restore's own versions.
        _insert_as_they_are([item for model in first for item in by_model[model]], report)
        _reset_sequences(first)
        actor = _restoring_user(user_email)
        reason = (
            gettext("Restored from backup %(file)s (restore_data)") % {"file": source[:50]}
            if source
            else gettext("Restored from a backup (restore_data)")
        )
        for model in rest:
            if model in BULK_MODELS:
                problems.extend(
                    _write_records(model, by_model[model], actor=actor, reason=reason[:100])
                )
                report.objects += len(by_model[model])
            else:
                _insert_as_they_are(by_model[model], report)
        _raise_problems(problems)
        # Foreign keys are checked at commit by default; checking now turns a broken reference
        # into a clear message (the transaction is rolled back either way).
        connection.check_constraints()
    except DatabaseError as exc:
        raise BackupError(f"The backup's objects cannot be loaded: {exc}") from exc
    # Explicit ids leave PostgreSQL sequences behind; move them past the restored ids.
    _reset_sequences(catalogue_rows.backup_models())
    if media_dir is not None:
        report.files_copied, report.problems = _restore_files(data.get("files", []), media_dir)
    _rebuild_search_index()
    return report


def _is_history(model: type[Model]) -> bool:
    return hasattr(model, "instance_type")  # a simple-history version model


def _restore_order() -> tuple[list[type[Model]], list[type[Model]]]:
    """(written first, then) in the backup's order, parents before children, except that the
    history versions go before the first record: the writer's versions of the restore then
    follow them, with later ids."""
    models = catalogue_rows.backup_models()
    plain = [m for m in models if not _is_history(m)]
    cut = min(plain.index(m) for m in BULK_MODELS)
    return [*plain[:cut], *(m for m in models if _is_history(m))], plain[cut:]


def _insert_as_they_are(items: Sequence[Any], report: RestoreReport) -> None:
    """A raw save keeps timestamps and sends no history or search signal; the ids are new to
    this database, so a single INSERT each is enough. Their many-to-many lists (users' groups)
    go in bulk."""
    links: dict[tuple[type[Model], str], list[tuple[Any, Sequence[Any]]]] = defaultdict(list)
    for deserialized in items:
        m2m_data = deserialized.m2m_data or {}  # save() clears it
        deserialized.save(save_m2m=False, force_insert=True)
        obj = deserialized.object
        for name, targets in m2m_data.items():
            links[(type(obj), name)].append((obj.pk, targets))
        report.objects += 1
    _write_links(links)


def _write_records(
    model: BulkModel, items: Sequence[Any], *, actor: User | None, reason: str
) -> list[str]:
    """The backup's records of one model through the bulk writer; returns the problems."""
    if not items:
        return []
    problems: list[str] = []
    label = model._meta.label_lower
    # Linked objects by id, one query per relation for the whole model.
    targets: dict[str, dict[Any, Model]] = {}
    for m2m in model._meta.many_to_many:
        wanted = {pk for item in items for pk in (item.m2m_data or {}).get(m2m.name, [])}
        related: Any = m2m.related_model
        targets[m2m.name] = related._default_manager.in_bulk(wanted) if wanted else {}
    rows: list[BulkRow] = []
    for item in items:
        links: dict[str, list[Model]] = {}
        for m2m in model._meta.many_to_many:
            pks = (item.m2m_data or {}).get(m2m.name, [])
            found = targets[m2m.name]
            missing = [str(pk) for pk in pks if pk not in found]
            if missing:
                problems.append(
                    f"{label} {item.object.pk}: {m2m.name}: "
                    + str(UNKNOWN_VALUES_MESSAGE) % {"values": ", ".join(missing)}
                )
            links[m2m.name] = [found[pk] for pk in pks if pk in found]
        rows.append(BulkRow(record=item.object, links=links, label=f"{label} {item.object.pk}"))
    if problems:
        return problems
    try:
        records_bulk_write(model=model, creates=rows, actor=actor, reason=reason, restoring=True)
    except ValidationError as exc:
        return [
            f"{row_label}: {message}"
            for row_label, messages in exc.message_dict.items()
            for message in messages
        ]
    return []


def _restoring_user(email: str) -> User | None:
    if not email:
        return None
    user = User.objects.filter(email__iexact=email, is_staff=True).first()
    if user is None:
        raise BackupError(
            gettext("No staff user in the backup has the e-mail %(email)s.") % {"email": email}
        )
    return user


def _reset_sequences(models: Sequence[type[Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


_SHOWN_PROBLEMS = 50


def _raise_problems(problems: Sequence[str]) -> None:
    if not problems:
        return
    lines = list(problems[:_SHOWN_PROBLEMS])
    if len(problems) > _SHOWN_PROBLEMS:
        lines.append(gettext("… and %(count)s more.") % {"count": len(problems) - _SHOWN_PROBLEMS})
    raise BackupError(
        gettext("The backup breaks the models' rules (%(count)s problems):")
        % {"count": len(problems)}
        + "\n  "
        + "\n  ".join(lines)
        + "\n"
    )


def _problems(obj: Model) -> list[str]:
    """A backup is input like any other: the models' own rules apply to what it restores.
    References are checked once for the whole file by the database (check_constraints below),
    uniqueness by the inserts. History rows are the record of what was, not input: kept as they
    are."""
    if _is_history(type(obj)):
        return []
    relations = [f.name for f in obj._meta.fields if f.is_relation]
    try:
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return [
            f"{obj._meta.label_lower} {obj.pk}: {field}: {' '.join(messages)}"
            for field, messages in exc.message_dict.items()
        ]
    return []


def _write_links(links: dict[tuple[type[Model], str], list[tuple[Any, Sequence[Any]]]]) -> None:
    """Many-to-many lists straight into the through tables, in bulk: `.set()` per record would
    cost two queries and a search-reindex signal per list."""
    for (model, name), rows in links.items():
        field: Any = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        through._default_manager.bulk_create(
            [through(**{source: owner, target: pk}) for owner, targets in rows for pk in targets],
            batch_size=1000,
        )


def _restore_files(entries: list[dict[str, Any]], media_dir: Path) -> tuple[int, list[str]]:
    root = Path(settings.MEDIA_ROOT)
    copied, problems = 0, []
    for entry in entries:
        if entry.get("missing"):
            continue
        relative = Path(entry["path"])
        if relative.is_absolute() or ".." in relative.parts:
            problems.append(f"{entry['path']}: refused (path outside the media folder)")
            continue
        source = media_dir / relative
        if not source.is_file():
            problems.append(f"{entry['path']}: not in {media_dir}")
            continue
        if _sha256(source) != entry["sha256"]:
            problems.append(f"{entry['path']}: checksum differs from the manifest")
            continue
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += 1
    return copied, problems


def _rebuild_search_index() -> None:
    from portolan.search import services as search_services

    search_services.rebuild_index()
