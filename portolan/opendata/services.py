"""Writes of the open-data app: a staff import run (plan or commit) and its summary row."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from portolan.accounts.models import User
from portolan.catalogue import importing

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


def import_file(*, kind: str, filename: str, data: bytes, user: User | None) -> ImportOutput:
    """The real import: all rows in one transaction, or nothing when any row has an error.
    Records are saved one by one (not in bulk) so history and the search index's signals see
    every change.

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
