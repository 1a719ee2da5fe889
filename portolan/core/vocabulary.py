"""Loads the shipped vocabulary (core/data/vocabulary.json) idempotently: run it any number of
times, terms are matched on slug and updated, never duplicated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "vocabulary.json"

MODEL_KEYS = {"goals": "Goal", "missions": "Mission", "themes": "Theme", "audiences": "Audience"}


def load_vocabulary(get_model: Any) -> dict[str, int]:
    """`get_model(name)` returns the model class, so this works inside migrations too."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for key, model_name in MODEL_KEYS.items():
        model = get_model(model_name)
        for row in data[key]:
            values = dict(row)
            slug = values.pop("slug")
            model.objects.update_or_create(slug=slug, defaults=values)
        counts[key] = len(data[key])
    return counts
