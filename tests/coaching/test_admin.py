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
