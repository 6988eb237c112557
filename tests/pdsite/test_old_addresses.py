"""Addresses that went out in emails keep leading somewhere useful."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_old_feedback_page_leads_to_reflections(teacher_client):
    response = teacher_client.get("/feedback/", follow=True)
    assert response.redirect_chain == [("/reflections/", 301)]
    assert response.status_code == 200
    assert "<h1>My reflections</h1>" in response.text


def test_an_anonymous_visitor_is_asked_to_sign_in_first(client):
    response = client.get("/feedback/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=/reflections/")
