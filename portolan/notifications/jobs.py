"""The outbox's part in every worker's tick: messages whose task was lost go out anyway."""

from __future__ import annotations

from portolan.jobs.periodic import every_tick

from . import services


@every_tick("notifications.sweep_outbox")
def sweep_outbox() -> None:
    services.sweep()
