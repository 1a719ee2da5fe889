"""One row per run of a periodic job: (job, period key) is unique, so a period's run is claimed
by one worker only; a claim holds a lease, and a run whose worker died is claimed again once its
lease has expired."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PeriodicRun(models.Model):
    job = models.CharField(_("job"), max_length=100)
    period_key = models.CharField(_("period"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"))
    lease_expires_at = models.DateTimeField(
        _("lease expires at"),
        help_text=_("A running or failed run may be claimed again after this time."),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "period_key"], name="unique_periodic_run"),
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values), name="periodic_run_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period_key} ({self.status})"
