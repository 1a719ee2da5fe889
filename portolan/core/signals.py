"""Signals a base app offers so that apps above it can react without being imported."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after a bulk write that skipped per-row signals (demo generation, imports, restores),
# once it is committed: `record_types` lists the registry keys written, or None for "all".
# The search app rebuilds those parts of its index.
records_bulk_written = Signal()
