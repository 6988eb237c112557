import io

import pytest
from django.core.management import call_command

from modules.models import ActiveTime

pytestmark = pytest.mark.django_db


def test_the_demo_teachers_have_active_time_to_report(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--force", stdout=io.StringIO())
    teacher_rows = ActiveTime.objects.filter(user__email="teacher@example.com")
    modules = teacher_rows.count()
    assert modules >= 3
    # Minutes near each module's estimate, not all alike.
    minutes = {row.active_ms // 60_000 for row in ActiveTime.objects.all()}
    assert len(minutes) > 3
    assert all(row.active_ms <= row.module.estimated_minutes * 2 * 60_000 for row in teacher_rows)
