import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
# Tasks run at once in the test process unless a test starts a real worker, which gets
# PORTOLAN_TASKS_BACKEND=database (portolan/notifications/tests/test_worker.py).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if os.environ.get("PORTOLAN_TASKS_BACKEND") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Off, so that the suite's query counts measure uncached pages and its tests may write without
# committing; portolan/core/tests/test_pagecache.py turns it on.
PORTOLAN_PAGE_CACHE = False
AXES_FAILURE_LIMIT = 3
API_RATE_LIMITS = {"anon": "10000/m", "token": "10000/m"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The suite runs the database engine (every test's data rolls back with its transaction); the
# library's tests switch to it with their own index directory (search/tests/test_library.py).
SEARCH_ENGINE = "database"
SEARCH_INDEX_DIR = Path(tempfile.gettempdir()) / f"portolan-test-index-{os.getpid()}"
