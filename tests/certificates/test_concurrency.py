import threading

import pytest
from django.db import connection, connections

from certificates import services
from certificates.models import Certificate
from tests import factories

# serialized_rollback: the flush after it then leaves the content types alone, so a later
# serialized test (the migration tests) can restore the migrated database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def completed(transactional_db):
    index = factories.site_tree()
    course = factories.course_with_modules(index, modules=1, slug="race")
    return factories.completed_enrollment(course)


def test_two_simultaneous_issues_make_one_certificate(completed):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers anyway")
    barrier = threading.Barrier(4)
    results, errors = [], []

    def issue():
        try:
            barrier.wait()
            results.append(services.issue_certificate(enrollment=completed, issued_by=None).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Certificate.objects.filter(enrollment=completed).count() == 1
