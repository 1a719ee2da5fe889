"""Check the French and Spanish catalogues. The .po files are the only source of truth.

`portolan/locale/{fr,es}/LC_MESSAGES/django.po` hold every translation and are edited by hand
(or with any .po editor); the compiled `django.mo` next to each is committed too.

To add a UI string:

1. Write it in the template (`{% translate "…" %}`, `{% blocktranslate %}`) or the Python code
   (`gettext_lazy` / `gettext`). If the same English word has two meanings, give each a context:
   `{% translate "Status" context "publication" %}` or `pgettext_lazy("publication", "Status")`.
2. `make messages` adds the new msgid, empty, to both .po files (and marks as fuzzy any entry
   gettext guessed from a similar one).
3. `.venv/bin/python tools/i18n.py missing` lists what needs a msgstr. Fill the msgstr in both
   files; remove the `#, fuzzy` line (and its `#|` lines) once a guessed msgstr is right. Plural
   strings take `msgstr[0]`, `msgstr[1]` in French and `msgstr[0]` … `msgstr[2]` in Spanish.
4. `make messages` again (or `.venv/bin/python manage.py compilemessages -l fr -l es
   --ignore=.venv --ignore=var`) compiles the .mo files; commit the .po and .mo files.

Commands: `missing` lists untranslated and fuzzy entries per language (exit status 1 if any);
`stats` counts entries per language; `import-json FILE` fills untranslated or fuzzy entries from
a file in the former `translations.json` shape ({msgid: {"fr": text, "es": text}}, a list of forms
for a plural string); it matches on msgid in any context, never overwrites a translation, and is
followed by `make messages`, which rewraps the files the gettext way."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "portolan" / "locale"
LANGS = ("fr", "es")


def catalogue_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def load(lang: str) -> polib.POFile:
    return polib.pofile(str(catalogue_path(lang)), wrapwidth=79)


def nplurals(po: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


def label(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt is not None else ""
    return context + json.dumps(entry.msgid, ensure_ascii=False)


def problem(entry: polib.POEntry, forms: int) -> str | None:
    """Why the entry is not usable as it stands, or None."""
    if "fuzzy" in entry.flags:
        return "fuzzy"
    if entry.msgid_plural:
        filled = [entry.msgstr_plural.get(n, "") for n in range(forms)]
        if len(entry.msgstr_plural) != forms or not all(filled):
            return f"plural forms: {sum(map(bool, filled))} of {forms} filled"
        return None
    return None if entry.msgstr else "untranslated"


def live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def missing(langs: list[str]) -> int:
    total = 0
    for lang in langs:
        po = load(lang)
        forms = nplurals(po)
        found = [(entry, why) for entry in live(po) if (why := problem(entry, forms))]
        for entry, why in found:
            print(f"{lang}: {label(entry)} ({why})")
        total += len(found)
        print(f"{lang}: {len(found)} entries need a translation", file=sys.stderr)
    return 1 if total else 0


def stats(langs: list[str]) -> int:
    for lang in langs:
        po = load(lang)
        entries = live(po)
        forms = nplurals(po)
        fuzzy = sum("fuzzy" in e.flags for e in entries)
        todo = sum(problem(e, forms) is not None for e in entries)
        print(
            f"{lang}: {len(entries)} entries, {len(entries) - todo} translated, {fuzzy} fuzzy, "
            f"{todo - fuzzy} untranslated; {sum(e.msgctxt is not None for e in entries)} "
            f"with a context; {forms} plural forms"
        )
    return 0


def _wanted(entry: polib.POEntry, text: str | list[str], forms: int) -> str | list[str] | None:
    """The msgstr (or list of plural forms) `text` gives `entry`, or None if it does not fit."""
    if entry.msgid_plural:
        values = [text] * forms if isinstance(text, str) else list(text)
        return values if len(values) == forms else None
    return text if isinstance(text, str) else None


def _current(entry: polib.POEntry, forms: int) -> str | list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural.get(n, "") for n in range(forms)]
    return entry.msgstr


def import_json(source: Path, langs: list[str]) -> int:
    table: dict[str, dict[str, str | list[str]]] = json.loads(source.read_text(encoding="utf-8"))
    status = 0
    for lang in langs:
        po = load(lang)
        forms = nplurals(po)
        by_msgid: dict[str, list[polib.POEntry]] = {}
        for entry in live(po):
            by_msgid.setdefault(entry.msgid, []).append(entry)
        filled = 0
        for msgid, texts in table.items():
            text = texts.get(lang)
            if text is None:
                continue
            if msgid not in by_msgid:
                print(f"{lang}: not in the catalogue (run `make messages` first?): {msgid!r}")
                status = 1
            for entry in by_msgid.get(msgid, []):
                value = _wanted(entry, text, forms)
                if value is None:
                    print(f"{lang}: {label(entry)} does not take {text!r} ({forms} plural forms)")
                    status = 1
                elif problem(entry, forms) is None:
                    if _current(entry, forms) != value:
                        print(f"{lang}: kept the existing translation of {label(entry)}")
                else:
                    if isinstance(value, list):
                        entry.msgstr_plural = dict(enumerate(value))
                    else:
                        entry.msgstr = value
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
                    entry.previous_msgctxt = None
                    entry.previous_msgid = entry.previous_msgid_plural = None
                    filled += 1
                    print(f"{lang}: filled {label(entry)}")
        if filled:
            po.save()
        print(f"{lang}: {filled} entries filled", file=sys.stderr)
    print("now run `make messages`: it rewraps the .po files, compiles the .mo", file=sys.stderr)
    return status


USAGE = "usage: tools/i18n.py missing|stats [LANG...] | import-json FILE [LANG...]"


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(USAGE, file=sys.stderr)
        return 2
    command, args = argv[1], argv[2:]
    source = None
    if command == "import-json" and args:
        source, args = Path(args[0]), args[1:]
    langs = args or list(LANGS)
    if any(lang not in LANGS for lang in langs):
        print(USAGE, file=sys.stderr)
        return 2
    if command == "missing":
        return missing(langs)
    if command == "stats":
        return stats(langs)
    if command == "import-json" and source is not None:
        return import_json(source, langs)
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
