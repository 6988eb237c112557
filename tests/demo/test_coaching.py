import pytest

from coaching import selectors
from coaching.models import Assignment, Cohort
from demo.seed import seed
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_coach_has_a_cohort_at_different_stages_and_seeding_twice_adds_nothing():
    factories.site_tree()
    seed()
    seed()
    cohort = Cohort.objects.get(name="Spring 2027 student teachers")
    assert [c.email for c in cohort.coaches.all()] == ["coach@example.com"]
    assignment = Assignment.objects.get(cohort=cohort)
    matrix = selectors.progress_matrix(cohort=cohort, assignment=assignment)
    percents = {row.user.email: row.percent for row in matrix.rows}
    assert percents["teacher@example.com"] == 100
    assert percents["maya.chen@example.com"] == 0
    assert 0 < percents["luis.ortega@example.com"] < 100
    assert [row.user.email for row in matrix.rows if row.overdue] == ["dev.patel@example.com"]
    assert Assignment.objects.count() == 2
