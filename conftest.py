import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own media folder, an empty cache and English as the active language."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    translation.activate("en")
    yield
    translation.deactivate()


# The two search engines (portolan/search/README.md): search, signal and filter-meaning tests
# run once per engine.


def _empty_index() -> None:
    from portolan.search import library

    rebuild = library.Rebuild()
    rebuild.finish()


@pytest.fixture(params=["database", "tantivy"])
def search_engine(request, settings, tmp_path):
    """Runs a test once per engine: the database's own full-text index, and the embedded
    library's, each test starting from an empty library index of its own."""
    settings.SEARCH_ENGINE = request.param
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    from portolan.search import library

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
    from portolan.search import library

    library.forget_handles()
    _empty_index()
    yield settings.SEARCH_INDEX_DIR
    library.forget_handles()
