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
