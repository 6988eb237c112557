import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_pd_admins_can_list_and_inspect_cohorts_but_not_edit_them(client, coach):
    teacher = factories.teacher(full_name="Listed Teacher")
    cohort = factories.cohort(coaches=[coach], members=[teacher], name="Spring 2027")
    admin = factories.pd_admin(is_superuser=True, is_staff=True)
    client.force_login(admin)
    listing = client.get("/admin/snippets/coaching/cohort/")
    assert listing.status_code == 200
    assert "Spring 2027" in listing.text
    inspect = client.get(f"/admin/snippets/coaching/cohort/inspect/{cohort.pk}/")
    assert inspect.status_code == 200
    assert "Listed Teacher" in inspect.text
    assert client.get(f"/admin/snippets/coaching/cohort/edit/{cohort.pk}/").status_code in (
        302,
        403,
    )
    assert client.get("/admin/snippets/coaching/cohort/add/").status_code in (302, 403)


def test_a_pd_admin_makes_someone_a_coach_and_takes_it_back(client):
    from core.roles import is_coach

    admin = factories.pd_admin(is_staff=True)
    teacher = factories.teacher(email="future.coach@example.org")
    client.force_login(admin)
    page = client.get("/admin/coaches/")
    assert page.status_code == 200
    client.post("/admin/coaches/", {"email": "Future.Coach@example.org"})
    teacher.refresh_from_db()
    assert is_coach(teacher)
    assert "future.coach@example.org" in client.get("/admin/coaches/").text
    client.post(f"/admin/coaches/{teacher.pk}/remove/")
    teacher = teacher.__class__.objects.get(pk=teacher.pk)
    assert not is_coach(teacher)


def test_an_unknown_address_is_refused_and_coaches_cannot_use_the_screen(client, coach):
    admin = factories.pd_admin(is_staff=True)
    client.force_login(admin)
    response = client.post("/admin/coaches/", {"email": "nobody@example.org"})
    assert "No account has confirmed this address yet." in response.text
    client.force_login(coach)
    assert client.get("/admin/coaches/").status_code in (302, 403)


def test_an_unconfirmed_address_cannot_be_made_a_coach(client):
    """Someone who registered a colleague's address without confirming it is not them."""
    from core.roles import is_coach

    admin = factories.pd_admin(is_staff=True)
    impostor = factories.teacher(email="head.of.pd@example.org", verified=False)
    client.force_login(admin)
    response = client.post("/admin/coaches/", {"email": "head.of.pd@example.org"})
    assert "No account has confirmed this address yet." in response.text
    assert not is_coach(impostor.__class__.objects.get(pk=impostor.pk))
