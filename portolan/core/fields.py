"""Model fields that carry their own rules, so that a rule is written once, on the model.

Every write path (the editor, the API, imports, restores, demo and reference loading) ends in
`Model.full_clean`, and Django's `ModelForm`s and the import columns read the same fields: what
these fields refuse is refused everywhere, with the same message.

- `PlainCharField` / `PlainTextField`: plain text. Line endings are normalised and the value is
  trimmed (single-line fields also collapse inner whitespace); HTML markup, escaped or not, and
  NUL characters are refused rather than silently removed, so the writer knows what was wrong.
  Text fields have a length limit (Django does not enforce `TextField.max_length` by itself).
- `URLListField`: one http(s) web address per line.
- `YearField`: a year between `MIN_YEAR` and `MAX_YEAR`.

`Length` is registered as a transform on text fields so check constraints can bound lengths in
the database too (`Q(summary__length__lte=1200)`)."""

from __future__ import annotations

import html
import re
from typing import Any

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext_lazy as _

models.CharField.register_lookup(Length)
models.TextField.register_lookup(Length)

MIN_YEAR = 1800
MAX_YEAR = 2100
# Long free-text fields: a page of text is a few thousand characters; 20,000 leaves room for
# thorough case studies and stops a pasted book (or a 100,000-character attack) at the door.
LONG_TEXT_MAX = 20_000
URL_LIST_MAX = 5_000
# PostgreSQL's integer is 32-bit where SQLite accepts 64-bit values: one limit for both.
MAX_INT = 2_147_483_647

# Markup is an HTML element's tag ("<script>", "</b>", "<img src=x>"), a comment or a processing
# instruction. Angle brackets around other words stay text: "<jane@example.org>",
# "<https://example.org>", "a < b", "<3".
_ELEMENTS = (
    "a|abbr|address|area|article|aside|audio|b|base|bdi|bdo|blockquote|body|br|button|canvas|"
    "caption|center|cite|code|col|colgroup|data|datalist|dd|del|details|dfn|dialog|div|dl|dt|"
    "em|embed|fieldset|figcaption|figure|font|footer|form|frame|frameset|h[1-6]|head|header|hr|"
    "html|i|iframe|img|input|ins|kbd|label|legend|li|link|main|map|mark|marquee|math|menu|meta|"
    "meter|nav|noscript|object|ol|optgroup|option|output|p|param|picture|pre|progress|q|s|samp|"
    "script|section|select|slot|small|source|span|strike|strong|style|sub|summary|sup|svg|"
    "table|tbody|td|template|textarea|tfoot|th|thead|time|title|tr|track|u|ul|var|video|wbr|xml"
)
_MARKUP = re.compile(rf"<\s*/?\s*(?:{_ELEMENTS})(?=[\s/>])[^>]*>|<!--|<\?|<!\[CDATA\[", re.I)

UNKNOWN_VALUES_MESSAGE = _("Unknown value(s): %(values)s.")
YEAR_MESSAGE = _("Enter a year between %(min)s and %(max)s.")
URL_LINE_MESSAGE = _("Not a web address (one per line): %(value)s.")
MARKUP_MESSAGE = _("Remove the HTML markup: this field takes plain text.")
# Django's own form message (and its translations), so a form and a model say the same thing.
NUL_MESSAGE = validators.ProhibitNullCharactersValidator.message


def normalise_text(value: str, *, single_line: bool = False) -> str:
    """The one place text is normalised before validation."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if single_line:
        text = " ".join(text.split())
    return text.strip()


def has_markup(value: str) -> bool:
    # Decoded once more so an escaped tag ("&lt;script&gt;") is caught like a real one: it would
    # turn back into markup in any consumer that decodes entities (feeds, spreadsheets).
    return bool(_MARKUP.search(value) or _MARKUP.search(html.unescape(value)))


@deconstructible
class NoMarkupValidator:
    message = MARKUP_MESSAGE
    code = "markup"

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and has_markup(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoMarkupValidator)

    def __hash__(self) -> int:
        return hash(self.code)


@deconstructible
class URLLinesValidator:
    """Each non-empty line is an http(s) web address."""

    message = URL_LINE_MESSAGE
    code = "url_lines"

    def __call__(self, value: Any) -> None:
        validate = validators.URLValidator(schemes=["http", "https"])
        for line in str(value or "").split():
            try:
                validate(line)
            except ValidationError:
                raise ValidationError(
                    self.message, code=self.code, params={"value": line[:80]}
                ) from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, URLLinesValidator)

    def __hash__(self) -> int:
        return hash(self.code)


def _year_range_message() -> str:
    return str(YEAR_MESSAGE) % {"min": MIN_YEAR, "max": MAX_YEAR}


# Interpolated when shown, in the reader's language: `YEAR_MESSAGE % {...}` would translate at
# the moment it runs (a form class built during a Spanish request kept Spanish for everyone).
YEAR_RANGE_MESSAGE = lazy(_year_range_message, str)()


def year_validators() -> list[Any]:
    return [
        validators.MinValueValidator(MIN_YEAR, message=YEAR_RANGE_MESSAGE),
        validators.MaxValueValidator(MAX_YEAR, message=YEAR_RANGE_MESSAGE),
    ]


def _text_validators() -> list[Any]:
    return [validators.ProhibitNullCharactersValidator(), NoMarkupValidator()]


class PlainCharField(models.CharField):
    """One line of plain text."""

    single_line = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators.extend(_text_validators())

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalise_text(value, single_line=self.single_line) if value else value


class PlainTextField(models.TextField):
    """Paragraphs of plain text, `LONG_TEXT_MAX` characters unless told otherwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", LONG_TEXT_MAX)
        super().__init__(*args, **kwargs)
        self.validators.extend(_text_validators())
        self.validators.append(validators.MaxLengthValidator(self.max_length))

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalise_text(value) if value else value


class URLListField(PlainTextField):
    """Web addresses, one per line, stored one per line whatever separated them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", URL_LIST_MAX)
        super().__init__(*args, **kwargs)
        self.validators.append(URLLinesValidator())

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return "\n".join(value.split()) if value else value


class YearField(models.PositiveSmallIntegerField):
    """A year between MIN_YEAR and MAX_YEAR, refused with one message, YEAR_MESSAGE, whatever
    was wrong (too early, too late, negative, not a number), on the model and in its form."""

    @cached_property
    def validators(self) -> list[Any]:  # type: ignore[override]
        # The year range lies inside the column's integer range: Django's range validators
        # (">= 0", "<= 32767") would only say the same thing a second time, in other words.
        own = self._validators  # type: ignore[attr-defined]
        return [*self.default_validators, *own, *year_validators()]

    def formfield(self, **kwargs: Any) -> Any:
        messages = dict.fromkeys(("invalid", "min_value", "max_value"), YEAR_RANGE_MESSAGE)
        messages.update(kwargs.pop("error_messages", None) or {})
        return super().formfield(error_messages=messages, **kwargs)


def year_range_check(field: str, name: str) -> models.CheckConstraint:
    """The same year limits, kept by the database for writes that skip validation."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": MIN_YEAR, f"{field}__lte": MAX_YEAR}),
        name=name,
    )


def choices_check(field: str, choices: type[models.Choices], name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)


def length_check(field: str, limit: int, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(**{f"{field}__length__lte": limit}), name=name)
