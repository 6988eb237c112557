"""Settings for `make bench`: the test settings plus the floor page type, DEBUG off.

The bulk-issue benchmark (bench/workers.py) runs the real task worker, `manage.py
db_worker`, in separate processes, so unlike the tests the bench needs a task queue,
a database and file stores that other processes can see.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .test import *  # noqa: F403
from .test import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
try:  # the peer row (bench/peer.py): the `bench` extra installs wagtail-lms
    import wagtail_lms  # noqa: F401
except ImportError:
    pass
else:
    INSTALLED_APPS += ["wagtail_lms"]
    # Its CoursePage and ours both give Page a `coursepage` reverse accessor. Nothing in the
    # bench follows it, but the worker processes run the system checks and would refuse to
    # start on the clash.
    SILENCED_SYSTEM_CHECKS = ["fields.E304", "fields.E305"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Scratch space for this run, shared with the worker processes it starts (bench/workers.py
# passes BENCH_DIR on). One per run: two runs at once must not delete each other's SQLite
# database. The run that made the folder removes it when it exits.
if os.environ.get("BENCH_DIR"):
    BENCH_DIR = Path(os.environ["BENCH_DIR"])
else:
    BENCH_DIR = Path(tempfile.mkdtemp(prefix="pdsite-bench-"))
    atexit.register(shutil.rmtree, BENCH_DIR, ignore_errors=True)

# The production queue, not the tests' immediate backend: certificates are rendered by
# `manage.py db_worker` processes, as they are in production.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": BENCH_DIR / "media"},
    },
    "certificates": {
        "BACKEND": "certificates.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": BENCH_DIR / "private"},
    },
    "evidence": {
        "BACKEND": "certificates.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": BENCH_DIR / "private" / "evidence"},
    },
    "exports": {
        "BACKEND": "certificates.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": BENCH_DIR / "private" / "exports"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's default in-memory test database, so worker processes can open
    # it; base.py already puts it in WAL mode with a 20 s busy timeout.
    DATABASES["default"]["TEST"] = {"NAME": str(BENCH_DIR / "test.sqlite3")}

# Set by the bench for the worker processes it starts: open the test database the bench
# built (the `TEST` name above, or `test_<name>` on PostgreSQL) instead of creating one.
if os.environ.get("BENCH_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE_NAME"]

# One issuer key for the run and its worker processes (certificates/issuer.py).
ISSUER_KEY_DIR = BENCH_DIR / "issuer-keys"
