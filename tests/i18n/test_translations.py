"""The whole UI exists in French and Spanish: the .po catalogues (the only source of truth) are
complete and in sync with the source, the committed .mo files match them, and the main pages
rendered in each language show no untranslated UI string."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portolan.testing.factories import (
    InitiativeFactory,
    MembershipFactory,
    PortCenterFactory,
)
from tools import i18n

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "portolan" / "locale"
LANGS = ("fr", "es")
PLURAL_FORMS = {"fr": 2, "es": 3}

Key = tuple[str | None, str, str]  # (msgctxt, msgid, msgid_plural)


def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def translations(entries: list[polib.POEntry]) -> dict[tuple[str | None, str], object]:
    """(msgctxt, msgid) → msgstr, or the tuple of plural forms."""
    return {
        (e.msgctxt, e.msgid): (
            tuple(e.msgstr_plural[n] for n in sorted(e.msgstr_plural))
            if e.msgid_plural
            else e.msgstr
        )
        for e in entries
        if e.msgid
    }


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_is_fully_translated(lang):
    po = catalogue(lang)
    forms = PLURAL_FORMS[lang]
    assert re.search(rf"nplurals\s*=\s*{forms}\b", po.metadata["Plural-Forms"])
    found = entries(po)
    assert len(found) > 100
    missing = []
    for entry in found:
        if "fuzzy" in entry.flags:
            missing.append(("fuzzy", key(entry)))
        elif entry.msgid_plural:
            values = [entry.msgstr_plural.get(n, "") for n in range(forms)]
            if len(entry.msgstr_plural) != forms or not all(values):
                missing.append(("plural forms", key(entry)))
        elif not entry.msgstr:
            missing.append(("untranslated", key(entry)))
    assert missing == [], f"{len(missing)} to translate in {lang}: {missing[:10]}"


def test_the_po_files_are_the_only_source_of_truth():
    assert not (LOCALE / "translations.json").exists()


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogue_matches_the_po(lang):
    """The committed .mo is what `make messages` compiles from the committed .po."""
    mo = polib.mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))
    expected = translations([e for e in entries(catalogue(lang)) if "fuzzy" not in e.flags])
    assert translations(list(mo)) == expected, "run `make messages` and commit the .mo files"


def _makemessages_args() -> list[str]:
    """The makemessages options of the Makefile's `messages` target, so both extract alike."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = r"^messages:.*\n(?:\t.*\n)*?\t\$\(MANAGE\) makemessages (.+)$"
    match = re.search(recipe, makefile, re.MULTILINE)
    assert match, "the Makefile's messages target no longer runs makemessages"
    return shlex.split(match.group(1))


@pytest.mark.slow
def test_catalogues_are_in_sync_with_the_source(tmp_path):
    """makemessages on a copy of the tree, as `make messages` runs it, neither adds nor drops an
    entry (msgctxt and plural included) in either committed catalogue."""
    if shutil.which("xgettext") is None:
        pytest.skip("gettext tools not installed (apt-get install gettext)")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "*.mo", "bench"),
    )
    args = _makemessages_args()
    assert {"-l", "fr", "es"} <= set(args)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *args],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )
    for lang in LANGS:
        extracted = copy / LOCALE.relative_to(ROOT) / lang / "LC_MESSAGES" / "django.po"
        fresh = {key(e) for e in entries(polib.pofile(str(extracted)))}
        committed = {key(e) for e in entries(catalogue(lang))}
        assert sorted(fresh - committed, key=str) == [], f"{lang}: new strings, run make messages"
        assert sorted(committed - fresh, key=str) == [], f"{lang}: stale strings, run make messages"


STATUS_MEANINGS = ("publication", "initiative", "port center")


def test_status_has_one_context_per_meaning():
    """A record's publication status and an initiative's or Port Center's own state are
    different words in at least one language."""
    differ = False
    for lang in LANGS:
        table = translations(entries(catalogue(lang)))
        words = {context: table.get((context, "Status")) for context in STATUS_MEANINGS}
        assert all(words.values()), f"{lang}: {words}"
        differ |= words["publication"] != words["initiative"]
        differ |= words["publication"] != words["port center"]
        with translation.override(lang):
            assert translation.pgettext("publication", "Status") == words["publication"]
            assert translation.pgettext("initiative", "Status") == words["initiative"]
    assert differ


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_pages_use_the_status_of_their_meaning(lang):
    member = MembershipFactory()
    initiative = InitiativeFactory(organisation=member.organisation)
    port_center = PortCenterFactory(organisation=member.organisation)
    client = Client()
    client.force_login(member.user)
    with translation.override(lang):
        word = {ctx: translation.pgettext(ctx, "Status") for ctx in STATUS_MEANINGS}
        pages = {
            "initiative": initiative.get_absolute_url(),
            "port center": port_center.get_absolute_url(),
            "publication": reverse("catalogue:dashboard"),
        }
    for context, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert f">{word[context]}<" in unescape(response.content.decode()), (url, word[context])


def test_tool_lists_what_needs_a_translation(tmp_path, monkeypatch, capsys):
    for lang in LANGS:
        (tmp_path / lang / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(LOCALE / lang / "LC_MESSAGES" / "django.po", tmp_path / lang / "LC_MESSAGES")
    monkeypatch.setattr(i18n, "LOCALE", tmp_path)
    assert i18n.main(["i18n.py", "missing"]) == 0
    po = i18n.load("es")
    entry = po.find("Status", msgctxt="publication")
    entry.msgstr = ""
    plural = next(e for e in po if e.msgid_plural)
    plural.flags.append("fuzzy")
    po.save()
    capsys.readouterr()
    assert i18n.main(["i18n.py", "missing"]) == 1
    out = capsys.readouterr().out
    assert '[publication] "Status" (untranslated)' in out
    assert "(fuzzy)" in out
    assert "fr:" not in out

    source = tmp_path / "leftover.json"
    source.write_text('{"Status": {"es": "Estado"}}', encoding="utf-8")
    assert i18n.main(["i18n.py", "import-json", str(source), "es"]) == 0
    assert i18n.load("es").find("Status", msgctxt="publication").msgstr == "Estado"


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
    # Only multi-word English strings whose translation differs can reveal a missed translation.
    english = [
        e.msgid
        for e in entries(catalogue(lang))
        if " " in e.msgid
        and "%" not in e.msgid
        and "{" not in e.msgid
        and len(e.msgid) > 12
        and e.msgstr
        and e.msgstr != e.msgid
    ]
    client = Client()
    for pattern in MAIN_PAGES:
        url = pattern.format(lang=lang)
        response = client.get(url)
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        leaked = [m for m in english if m in text]
        assert leaked == [], f"{url}: untranslated {leaked[:5]}"
