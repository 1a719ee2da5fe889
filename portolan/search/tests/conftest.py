import pytest

from portolan.search import library


def _empty_index() -> None:
    rebuild = library.Rebuild()
    rebuild.finish()


@pytest.fixture(params=["database", "tantivy"])
def search_engine(request, settings, tmp_path):
    """Runs a test once per engine: the database's own full-text index, and the embedded
    library's, each test starting from an empty library index of its own."""
    settings.SEARCH_ENGINE = request.param
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    library.forget_handles()
    if request.param == "tantivy":
        _empty_index()
    yield request.param
    library.forget_handles()


@pytest.fixture
def library_engine(settings, tmp_path):
    """The library engine with an empty index of this test's own."""
    settings.SEARCH_ENGINE = "tantivy"
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    library.forget_handles()
    _empty_index()
    yield settings.SEARCH_INDEX_DIR
    library.forget_handles()
