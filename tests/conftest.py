from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from tests import factories


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """The .mo files are built (`make messages`), not committed: build them here when one is
    missing or older than its .po, so a test run straight after editing a .po reads the
    edit, as `make test` would."""
    stale = [
        po.parts[-3]
        for po in Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        call_command("compilemessages", locale=stale, ignore_patterns=[".venv"], verbosity=0)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache, as a site does after a restart, so what a
    test counts or shows never depends on which tests ran before it in the process."""
    cache.clear()


@pytest.fixture
def client():
    """pytest-django's client, signing coaches and PD admins in with their second factor
    (factories.Client says how)."""
    return factories.Client()


@pytest.fixture
def catalogue(db):
    return factories.site_tree()


@pytest.fixture
def course(catalogue):
    return factories.course_with_modules(catalogue, modules=3)


@pytest.fixture
def teacher(db):
    return factories.teacher()


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def organisation_name_cached(db):
    """The organisation's name as a running site holds it: in the shared cache once any
    page has shown it. Page query budgets count what one teacher's visit costs; the single
    query that fills the cache is counted in tests/core/test_organisation.py."""
    from core.models import organisation_name

    organisation_name()
