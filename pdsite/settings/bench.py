"""Settings for `make bench`: the test settings plus the floor page type, DEBUG off."""

from .test import *  # noqa: F403
from .test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
