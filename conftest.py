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
