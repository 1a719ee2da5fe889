"""Pure text normalisation: no database."""

import pytest

from portolan.search import text


def test_normalise_removes_accents_and_case():
    assert text.normalise("Génova GÊNES Cádiz Œuvre") == "genova genes cadiz oeuvre"


def test_tokenize_splits_on_punctuation_apostrophes_and_underscores():
    assert text.tokenize("L'éducation_portuaire, (Le Havre)!") == [
        "l",
        "education",
        "portuaire",
        "le",
        "havre",
    ]


def test_accented_and_plain_spellings_share_a_form():
    assert set(text.forms(text.tokenize("Gênes")[0])) & set(text.forms("genes"))
    assert set(text.forms(text.tokenize("Génova")[0])) & set(text.forms("genova"))


@pytest.mark.parametrize(
    ("query_word", "document_word"),
    [
        ("ports", "port"),  # English plural
        ("schools", "school"),
        ("portuaires", "portuaire"),  # French
        ("éducation", "education"),
        ("ciudades", "ciudad"),  # Spanish
        ("programmes", "programme"),
    ],
)
def test_stems_match_inflected_words_in_three_languages(query_word, document_word):
    query = set(text.forms(text.tokenize(query_word)[0]))
    document = set(text.forms(text.tokenize(document_word)[0]))
    assert query & document


def test_query_groups_drop_stop_words_unless_nothing_else_is_left():
    assert [g[0] for g in text.query_groups("the port of Genoa")] == ["port", "genoa"]
    assert [g[0] for g in text.query_groups("the of")] == ["the", "of"]


def test_query_groups_are_deduplicated_and_capped():
    groups = text.query_groups("port port " + " ".join(f"w{i}" for i in range(50)))
    assert groups[0][0] == "port"
    assert len(groups) == text.MAX_QUERY_TOKENS


HOSTILE = [
    "",
    '"',
    '"unbalanced',
    "AND OR NOT NEAR",
    "NEAR(port school, 2)",
    "port*",
    "title:port",
    "^port",
    "(((port",
    "port) OR (1=1",
    "'; DROP TABLE search_searchdocument; --",
    "a" * 5000,
    "🙂🚢⚓",
    "مرحبا بالميناء",
    "שלום נמל",
    "港口城市",
    "nul\x00byte",
    "\\' \\\" \\\\",
    "-port +school ~genoa",
    "{port} [school] <mark>",
    "\ud800 lone surrogate",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_safe_expressions(query):
    groups = text.query_groups(query)
    match = text.fts5_match(groups)
    tsq = text.tsquery(groups)
    for group in groups:
        for form in group:
            assert form and '"' not in form and "'" not in form and "\\" not in form
    assert match.count('"') % 2 == 0
    assert "\x00" not in match and "\x00" not in tsq


def test_fts5_expression_quotes_every_form():
    expression = text.fts5_match(text.query_groups("near ports"))
    assert expression.startswith('("near"')
    assert " AND " in expression
    assert '"port"' in expression


def test_tsquery_literal_quotes_every_lexeme():
    assert text.tsquery([("port",), ("genes", "gene")]) == "('port') & ('genes' | 'gene')"


def test_indexed_text_holds_every_form_of_every_word():
    assert text.index_text("Ports, Gênes") == "ports port genes gene gen"


def test_highlight_escapes_html_and_marks_matches():
    wanted = text.query_forms(text.query_groups("genes"))
    html = text.highlight("<b>Visit</b> the port of Gênes & more", wanted)
    assert "&lt;b&gt;Visit&lt;/b&gt;" in html
    assert "<mark>Gênes</mark>" in html
    assert "&amp; more" in html


def test_highlight_shows_a_window_around_the_first_match():
    long_text = "filler " * 200 + "biodiversity matters " + "tail " * 200
    html = text.highlight(long_text, text.query_forms(text.query_groups("biodiversity")))
    assert html.startswith("… ")
    assert "<mark>biodiversity</mark>" in html
    assert html.endswith(" …")
    assert len(html) < 400


def test_highlight_without_words_is_the_escaped_start():
    assert text.highlight("a < b", frozenset()) == "a &lt; b"


def test_clean_input_removes_nul_and_control_characters():
    assert text.clean_input("a\x00b\x07c\td") == "a b c\td"


def test_stemming_is_safe_from_many_threads_at_once():
    """Snowball stemmers keep state on the object; shared between threads they crashed."""
    from concurrent.futures import ThreadPoolExecutor

    from portolan.search import text

    words = [f"administraciones{i}portuarias" for i in range(400)]
    expected = {w: text.forms.__wrapped__(w) for w in words}
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(text.forms.__wrapped__, words * 5))
    assert results == [expected[w] for w in words * 5]
