import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache(settings, tmp_path):
    """Each test starts with an empty cache (the local-memory cache outlives a test's
    transaction) and stores uploaded photos in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()
