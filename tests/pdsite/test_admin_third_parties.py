"""The Wagtail admin calls no third party (issue 19, item 10): no Gravatar image (it would
send an MD5 of each user's email to gravatar.com on every admin page) and no update check
(the browser asking releases.wagtail.org for the latest version)."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, catalogue):
    client.force_login(factories.superuser(email="editor@example.org"))
    return client


@pytest.mark.parametrize("path", ["/admin/", "/admin/account/"])
def test_admin_pages_load_no_gravatar_and_check_for_no_updates(superuser_client, path):
    response = superuser_client.get(path)
    assert response.status_code == 200
    html = response.content.decode().lower()
    assert "gravatar" not in html
    assert "w-upgrade" not in html  # the Stimulus controller that fetches the latest version
    assert "releases.wagtail.org" not in html
