"""Writes of the open-data app: a staff import run (plan or commit) and its summary row."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from portolan.accounts.models import User
from portolan.core import registry

from . import importing
from .models import ImportOutcome, ImportRun
from .tabular import Table, TableError, read_table


@dataclass
class ImportOutput:
    plan: importing.ImportPlan | None
    table: Table | None
    file_error: str = ""
    run: ImportRun | None = None

    @property
    def ok(self) -> bool:
        return not self.file_error and self.plan is not None and not self.plan.has_errors


def check_file(*, kind: str, filename: str, data: bytes) -> ImportOutput:
    """Dry run: read the file and say what importing it would do. Writes nothing."""
    try:
        table = read_table(filename, data)
    except TableError as exc:
        return ImportOutput(plan=None, table=None, file_error=str(exc))
    plan = importing.plan_import(kind=kind, headers=table.headers, rows=table.rows)
    return ImportOutput(plan=plan, table=table)


def _record(
    *,
    kind: str,
    filename: str,
    data: bytes,
    user: User | None,
    plan: importing.ImportPlan,
    outcome: str,
) -> ImportRun:
    counts = plan.counts
    return ImportRun.objects.create(
        kind=kind,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        outcome=outcome,
        user=user,
        rows=len(plan.rows),
        created=counts[importing.CREATE],
        updated=counts[importing.UPDATE],
        unchanged=counts[importing.UNCHANGED],
        errors=counts[importing.ERROR] + len(plan.file_errors),
    )


def _reindex(kind: str, plan: importing.ImportPlan) -> None:
    """Bulk writes send no signals, so search (and with it exports and feeds) is brought in
    step here, inside the import's transaction: one reindex call per record type."""
    from portolan.search import services as search_services

    ids = importing.written_ids(plan)
    if not ids:
        return
    found = registry.by_segment(kind)
    assert found is not None, kind
    record_type = found.key
    search_services.reindex(record_type=record_type, ids=ids)
    if kind == importing.ORGANISATIONS:
        # Documents of other records show their organisation's name.
        related: dict[str, set[int]] = {}
        updated = [
            r.instance.pk
            for r in plan.rows
            if r.action == importing.UPDATE and r.instance is not None
        ]
        for org_id in updated:
            for other_type, other_ids in search_services.indexed_refs(
                organisation_id=org_id
            ).items():
                if other_type != record_type:
                    related.setdefault(other_type, set()).update(other_ids)
        for other_type, linked_ids in related.items():
            search_services.reindex(record_type=other_type, ids=linked_ids)


def import_file(*, kind: str, filename: str, data: bytes, user: User | None) -> ImportOutput:
    """The real import: all rows in one transaction, or nothing when any row has an error.

    `user` is the staff member (None only from the command line without --user); it is written
    on every history row and on the ImportRun summary."""
    if user is not None and not user.is_staff:
        raise PermissionDenied(_("Only staff can import records."))
    try:
        table = read_table(filename, data)
    except TableError as exc:
        return ImportOutput(plan=None, table=None, file_error=str(exc))
    reason = _("Import of %(file)s") % {"file": filename[:80]}
    try:
        with transaction.atomic():
            plan = importing.apply_import(
                kind=kind, headers=table.headers, rows=table.rows, user=user, reason=reason
            )
            run = _record(
                kind=kind,
                filename=filename,
                data=data,
                user=user,
                plan=plan,
                outcome=ImportOutcome.COMMITTED,
            )
            _reindex(kind, plan)
    except importing.ImportRejected as exc:
        run = _record(
            kind=kind,
            filename=filename,
            data=data,
            user=user,
            plan=exc.plan,
            outcome=ImportOutcome.REJECTED,
        )
        return ImportOutput(plan=exc.plan, table=table, run=run)
    except DatabaseError:
        # A concurrent change (e.g. the same external id created meanwhile): nothing was kept.
        return ImportOutput(
            plan=None,
            table=table,
            file_error=_(
                "The database refused the import (a record changed meanwhile); "
                "nothing was written. Check the file again and retry."
            ),
        )
    return ImportOutput(plan=plan, table=table, run=run)
