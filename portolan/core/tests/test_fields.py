"""The plain-text rule, tested without a database."""

import pytest

from portolan.core.fields import has_markup, normalise_text


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "Harbour <b>school</b> days",
        "</p>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "<B>loud</B>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<!-- hidden -->",
        "<br/>",
    ],
)
def test_html_markup_is_recognised_escaped_or_not(text):
    assert has_markup(text)


@pytest.mark.parametrize(
    "text",
    [
        "Contact Jane <jane@example.org>",
        "Report <https://example.org/report.pdf>",
        "x < y and z > w",
        "Port & City < 3 > 2",
        "I <3 ports",
        "a<b",
        "<scriptx> is not an element",
    ],
)
def test_angle_brackets_around_other_words_stay_text(text):
    assert not has_markup(text)


def test_text_is_normalised_once_single_line_fields_collapse_spaces():
    assert normalise_text(" a\r\nb ") == "a\nb"
    assert normalise_text("  Harbour \n  days ", single_line=True) == "Harbour days"


def test_the_year_message_is_in_the_readers_language_whenever_the_form_was_built():
    from django.utils import translation

    from portolan.catalogue.forms import InitiativeForm
    from portolan.catalogue.models import Initiative

    field = InitiativeForm.base_fields["start_year"]
    validator = next(
        v for v in Initiative._meta.get_field("start_year").validators if hasattr(v, "limit_value")
    )
    expected = (("es", "Introduzca un año"), ("en", "Enter a year"), ("fr", "Saisissez"))
    for language, start in expected:
        with translation.override(language):
            assert str(field.error_messages["min_value"]).startswith(start), language
            assert str(validator.message) == str(field.error_messages["min_value"])
