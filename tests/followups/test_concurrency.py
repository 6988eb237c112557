import threading

import pytest
from django.db import connection, connections

from followups import services
from followups.models import FollowUp
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_follow_up_answered_twice_at_once_keeps_one_set_of_answers(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers anyway")
    course = factories.course_with_modules(factories.site_tree(), modules=1, slug="race")
    teacher = factories.teacher()
    first, _second = factories.follow_ups_after_completion(course, teacher, days_ago=15)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(word):
        try:
            barrier.wait()
            services.submit_follow_up(user=teacher, follow_up=first, answers=[word] * 3)
            outcomes.append(("submitted", word))
        except services.FollowUpError as error:
            outcomes.append(("refused", str(error)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(w,)) for w in ("tab one", "tab two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kinds = sorted(kind for kind, _detail in outcomes)
    assert kinds == ["refused", "submitted"]
    winner = next(detail for kind, detail in outcomes if kind == "submitted")
    assert FollowUp.objects.get(pk=first.pk).answers == [winner] * 3
