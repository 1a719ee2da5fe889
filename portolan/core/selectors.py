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
