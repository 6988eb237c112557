import pytest
from django.urls import reverse

from demo.seed import seed
from followups.models import FollowUp
from tests.factories import Client

pytestmark = pytest.mark.django_db


def test_the_demo_teacher_has_one_follow_up_answered_and_reviewed_and_one_due():
    accounts = seed()["accounts"]
    teacher = accounts["teacher@example.com"]
    first, second = FollowUp.objects.filter(user=teacher).order_by("step")
    assert first.submitted_at is not None
    assert first.evidence.get().original_name == "name-stick-tally.jpg"
    assert first.reviews.get().get_rubric_display() == "Adapted"
    assert second.submitted_at is None
    client = Client()
    client.force_login(teacher)
    dashboard = client.get("/dashboard/").text
    assert "Ready for your answers" in dashboard
    assert "your coach marked it: Adapted" in dashboard
    coach = Client()
    coach.force_login(accounts["coach@example.com"])
    page = coach.get(reverse("coaching:teacher_reflections", args=[teacher.pk])).text
    assert "name-stick-tally.jpg" in page
