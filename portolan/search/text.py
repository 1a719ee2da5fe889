"""Text normalisation shared by indexing and querying, so both databases match the same words.

Everything is done here in Python, not by the database: a word is lowercased, stripped of accents
(NFKD without combining marks, plus the ligatures NFKD leaves alone) and indexed with its English,
French and Spanish stems. A query word matches a document word when the two share any of those
forms, so "Genova" finds "Génova", "genes" finds "Gênes" and "ports" finds "port".

No Django import: tested without a database."""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

import snowballstemmer

MAX_TOKEN_CHARS = 60
MAX_QUERY_TOKENS = 12
MIN_STEM_CHARS = 3

# Letters and digits; "_" is excluded so the tokenisation matches SQLite's unicode61 tokenizer.
_WORD_RE = re.compile(r"[^\W_]+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_LIGATURES = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "ð": "d", "þ": "th"}
)

_STEMMER_NAMES = (("en", "english"), ("fr", "french"), ("es", "spanish"))
# Snowball stemmers keep their working state on the object: two threads stemming with one
# stemmer corrupt each other (IndexError under gunicorn's threaded workers). One set per thread.
_local = threading.local()


def _stemmers() -> tuple[snowballstemmer.stemmer, ...]:
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = tuple(snowballstemmer.stemmer(name) for _, name in _STEMMER_NAMES)
        _local.stemmers = stemmers
    return stemmers


# Words too common to narrow a search; dropped from queries that have other words.
_STOP_WORDS_TEXT = """a an and are as at be by for from in into is it its of on or the to with
    au aux avec ce ces dans de des du en et la le les leur par pour sur un une
    al con del el en las los para por su sus una y"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def clean_input(value: str) -> str:
    """Drop NUL and other control characters and lone surrogates that databases refuse."""
    value = _CONTROL_RE.sub(" ", value)
    return _SURROGATE_RE.sub("", value)


@lru_cache(maxsize=200_000)
def _word_tokens(word: str) -> tuple[str, ...]:
    """A casefolded non-ASCII word without accents (it may split, e.g. around a mark)."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_LIGATURES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return tuple(token[:MAX_TOKEN_CHARS] for token in _WORD_RE.findall(stripped))


def normalise_word(word: str) -> str:
    word = word.casefold()
    return word if word.isascii() else " ".join(_word_tokens(word))


def normalise(value: str) -> str:
    """Lowercase, accent-free form of a whole string (spaces kept)."""
    return " ".join(normalise_word(w) for w in clean_input(value).split())


def tokenize(value: str) -> list[str]:
    """Normalised words of a string, in order. Runs over every indexed text, so it stays in C
    as much as possible: only words with non-ASCII letters go through Python (cached).
    Control characters and lone surrogates are not word characters, so they simply vanish."""
    value = value.casefold()
    words = _WORD_RE.findall(value)
    if not value.isascii():
        out: list[str] = []
        for word in words:
            if word.isascii():
                out.append(word)
            else:
                out.extend(_word_tokens(word))
        words = out
    if words and len(max(words, key=len)) > MAX_TOKEN_CHARS:
        return [word[:MAX_TOKEN_CHARS] for word in words]
    return words


@lru_cache(maxsize=200_000)
def forms(token: str) -> tuple[str, ...]:
    """The token and its English, French and Spanish stems, without repeats."""
    found = [token]
    if len(token) >= MIN_STEM_CHARS and not token.isdigit():
        for stemmer in _stemmers():
            # Stemmers may put accents back (French "é"): normalise again so both sides agree.
            stem = normalise_word(stemmer.stemWord(token))
            if stem and stem not in found and _WORD_RE.fullmatch(stem):
                found.append(stem)
    return tuple(found)


@lru_cache(maxsize=200_000)
def _forms_text(token: str) -> str:
    return " ".join(forms(token))


def index_text(value: str) -> str:
    """The text as indexed: every form of every word, separated by spaces."""
    return tokens_text(tokenize(value))


def tokens_text(tokens: list[str]) -> str:
    """Every form of every token, space-separated: what SQLite's FTS5 table stores and what
    PostgreSQL turns into a tsvector with the 'simple' configuration (no further stemming)."""
    return " ".join(map(_forms_text, tokens))


def query_groups(query: str) -> list[tuple[str, ...]]:
    """A query as a list of alternatives: a record matches when, for every group, it contains at
    least one of the group's forms. Operators, quotes and brackets are plain punctuation here, so
    no input can produce an invalid database expression."""
    tokens = tokenize(query)
    meaningful = [t for t in tokens if t not in STOP_WORDS]
    tokens = meaningful or tokens
    groups: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for token in tokens:
        if token in seen:
            continue
        seen.add(token)
        groups.append(forms(token))
        if len(groups) >= MAX_QUERY_TOKENS:
            break
    return groups


def query_forms(groups: Iterable[Iterable[str]]) -> frozenset[str]:
    return frozenset(form for group in groups for form in group)


def fts5_match(groups: list[tuple[str, ...]]) -> str:
    """A safe SQLite FTS5 MATCH expression: every form is a double-quoted string."""
    parts = []
    for group in groups:
        alternatives = " OR ".join('"' + form.replace('"', '""') + '"' for form in group)
        parts.append(f"({alternatives})")
    return " AND ".join(parts)


def tsquery(groups: list[tuple[str, ...]]) -> str:
    """A safe PostgreSQL tsquery literal: every lexeme single-quoted."""
    parts = []
    for group in groups:
        alternatives = " | ".join(_ts_quote(form) for form in group)
        parts.append(f"({alternatives})")
    return " & ".join(parts)


def _ts_quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _words(value: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_word) spans covering the whole string."""
    last = 0
    for match in _WORD_RE.finditer(value):
        if match.start() > last:
            yield last, match.start(), False
        yield match.start(), match.end(), True
        last = match.end()
    if last < len(value):
        yield last, len(value), False


@lru_cache(maxsize=200_000)
def word_forms(word: str) -> frozenset[str]:
    """Every form of every token of a word as written: snippets test each word of a page of
    summaries against the query, and the same words recur from page to page."""
    return frozenset(
        form
        for token in _WORD_RE.findall(normalise_word(word))
        for form in forms(token[:MAX_TOKEN_CHARS])
    )


def word_matches(word: str, wanted: frozenset[str]) -> bool:
    return not wanted.isdisjoint(word_forms(word))


def highlight(value: str, wanted: frozenset[str], *, max_chars: int = 260) -> str:
    """HTML-escaped excerpt of `value` around the first matched word, matched words in <mark>.
    Safe to render as is."""
    value = " ".join(clean_input(value).split())
    spans = list(_words(value))
    first = None
    if wanted:
        for start, end, is_word in spans:
            if is_word and word_matches(value[start:end], wanted):
                first = start
                break
    begin = 0
    if first is not None and first > max_chars // 3:
        begin = value.rfind(" ", 0, first - max_chars // 4) + 1
    finish = begin + max_chars
    if finish < len(value):
        cut = value.rfind(" ", begin, finish)
        finish = cut if cut > begin else finish
    pieces: list[str] = ["… "] if begin > 0 else []
    for start, end, is_word in spans:
        if end <= begin or start >= finish:
            continue
        chunk = value[max(start, begin) : min(end, finish)]
        if is_word and wanted and word_matches(chunk, wanted):
            pieces.append(f"<mark>{html.escape(chunk)}</mark>")
        else:
            pieces.append(html.escape(chunk))
    if finish < len(value):
        pieces.append(" …")
    return "".join(pieces)
