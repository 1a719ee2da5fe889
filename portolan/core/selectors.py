from __future__ import annotations

from typing import Any

from .models import Audience, Goal, Mission, Theme


def about_context() -> dict[str, Any]:
    return {
        "goals": list(Goal.objects.all()),
        "missions": list(Mission.objects.all()),
        "themes": list(Theme.objects.all()),
        "audiences": list(Audience.objects.all()),
    }


def home_context() -> dict[str, Any]:
    # Imported here: the catalogue builds on core, so core must not import it at module load.
    from portolan.catalogue import selectors as catalogue

    return {
        "stats": catalogue.network_stats(),
        **catalogue.home_records(),
        "port_center_url_prefix": catalogue.port_center_url_prefix(),
        "goals": list(Goal.objects.all()),
    }
