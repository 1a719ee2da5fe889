"""Keep the French and Spanish catalogues filled from one reviewed source of truth.

`portolan/locale/translations.json` maps each English msgid to its French and Spanish text; a
plural string takes a list with one form per plural form of the language (two in French, three
in Spanish). `python tools/i18n.py apply` writes them into the .po files (untranslated and fuzzy
entries only); `python tools/i18n.py missing` lists msgids that still need a translation."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "portolan" / "locale"
SOURCE = LOCALE / "translations.json"
LANGS = ("fr", "es")


def _unquote(token: str) -> str:
    return json.loads(token) if token.startswith('"') else token


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _read_string(lines: list[str], start: int) -> tuple[str, int]:
    """The possibly multi-line quoted string starting at lines[start] (after the keyword)."""
    first = lines[start].split(" ", 1)[1]
    value = _unquote(first)
    i = start + 1
    while i < len(lines) and lines[i].startswith('"'):
        value += _unquote(lines[i])
        i += 1
    return value, i


def process(path: Path, table: dict[str, dict[str, object]], lang: str) -> list[str]:
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    missing: list[str] = []
    out: list[str] = []
    for block in blocks:
        lines = block.split("\n")
        msgid = msgid_plural = None
        i = 0
        while i < len(lines):
            if lines[i].startswith("msgid "):
                msgid, i = _read_string(lines, i)
            elif lines[i].startswith("msgid_plural "):
                msgid_plural, i = _read_string(lines, i)
            else:
                i += 1
        if not msgid:
            out.append(block)
            continue
        comments = [ln for ln in lines if ln.startswith("#")]
        fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in comments)
        has_translation = not fuzzy and any(
            re.match(r'^msgstr(\[\d\])? "(.+)"$', ln) or (ln.startswith('"') and ln != '""')
            for ln in lines[lines.index(next(x for x in lines if x.startswith("msgstr"))) :]
        )
        entry = table.get(msgid, {}).get(lang)
        if has_translation and not fuzzy:
            out.append(block)
            continue
        if entry is None:
            missing.append(msgid)
            out.append(block)
            continue
        kept = []
        for ln in comments:
            if ln.startswith("#,"):
                flags = [f.strip() for f in ln[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
                if flags:
                    kept.append("#, " + ", ".join(flags))
            elif not ln.startswith("#|"):
                kept.append(ln)
        # A context line (pgettext) must survive the rewrite, or the entry duplicates another.
        context = [ln for ln in lines if ln.startswith("msgctxt ")]
        new = [*kept, *context, f"msgid {_quote(msgid)}"]
        if msgid_plural is not None:
            forms = entry if isinstance(entry, list) else [entry, entry]
            new.append(f"msgid_plural {_quote(msgid_plural)}")
            new += [f"msgstr[{n}] {_quote(str(form))}" for n, form in enumerate(forms)]
        else:
            new.append(f"msgstr {_quote(str(entry))}")
        out.append("\n".join(new))
    path.write_text("\n\n".join(out), encoding="utf-8")
    return missing


def main(argv: list[str]) -> int:
    table = json.loads(SOURCE.read_text(encoding="utf-8")) if SOURCE.exists() else {}
    missing: dict[str, set[str]] = {}
    for lang in LANGS:
        po = LOCALE / lang / "LC_MESSAGES" / "django.po"
        original = po.read_text(encoding="utf-8")
        found = process(po, table, lang)
        if argv[1:2] != ["apply"]:
            po.write_text(original, encoding="utf-8")
        for msgid in found:
            missing.setdefault(msgid, set()).add(lang)
    if argv[1:2] == ["missing"]:
        print(json.dumps(sorted(missing), ensure_ascii=False, indent=1))
    print(f"{len(missing)} msgids without a translation", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
