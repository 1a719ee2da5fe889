"""The whole UI exists in French and Spanish: the catalogues are complete and in sync with the
source, and the main pages rendered in each language show no untranslated UI string."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "portolan" / "locale"
LANGS = ("fr", "es")


def parse_po(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for every entry but the header; plural forms joined."""
    entries: list[tuple[str, str, bool]] = []
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid: list[str] = []
        msgstr: list[str] = []
        current: list[str] | None = None
        for line in lines:
            if line.startswith("msgid ") or line.startswith("msgid_plural "):
                current = msgid
                current.append(_unquote(line.split(" ", 1)[1]))
            elif line.startswith("msgstr"):
                current = msgstr
                current.append(_unquote(line.split(" ", 1)[1]))
            elif line.startswith('"') and current is not None:
                current[-1] += _unquote(line)
        if msgid and msgid[0]:
            entries.append((msgid[0], "|".join(msgstr), fuzzy))
    return entries


def _unquote(token: str) -> str:
    return token.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n")


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_is_fully_translated(lang):
    entries = parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    missing = [msgid for msgid, msgstr, fuzzy in entries if fuzzy or not msgstr.strip("|")]
    assert missing == [], f"{len(missing)} untranslated in {lang}: {missing[:10]}"


@pytest.mark.slow
def test_catalogue_is_in_sync_with_the_source(tmp_path):
    """makemessages on a copy of the tree finds no string the committed catalogue lacks."""
    if shutil.which("xgettext") is None:
        pytest.skip("gettext tools not installed (apt-get install gettext)")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "*.mo", "bench"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "fr",
            "--ignore=tests",
            "--ignore=bench",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )
    fresh = {m for m, _, _ in parse_po(copy / "portolan/locale/fr/LC_MESSAGES/django.po")}
    committed = {m for m, _, _ in parse_po(LOCALE / "fr" / "LC_MESSAGES" / "django.po")}
    assert sorted(fresh - committed) == []


def _visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(html))


MAIN_PAGES = [
    "/{lang}/",
    "/{lang}/about/",
    "/{lang}/search/",
    "/{lang}/catalogue/",
    "/{lang}/open-data/",
    "/{lang}/accounts/login/",
    "/{lang}/places/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_main_pages_show_no_untranslated_ui_string(lang):
    entries = parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")
    # Only multi-word English strings whose translation differs can reveal a missed translation.
    english = [
        m
        for m, s, _ in entries
        if " " in m and "%" not in m and "{" not in m and len(m) > 12 and s and s != m
    ]
    client = Client()
    for pattern in MAIN_PAGES:
        url = pattern.format(lang=lang)
        response = client.get(url)
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        leaked = [m for m in english if m in text]
        assert leaked == [], f"{url}: untranslated {leaked[:5]}"
