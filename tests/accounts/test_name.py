"""/account/name/: the name printed on certificates issued from now on."""

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from certificates.models import Certificate
from tests import factories

pytestmark = pytest.mark.django_db
NAME = reverse("accounts:name")


def test_a_teacher_changes_the_name_printed_on_her_next_certificates(
    teacher_client, teacher, catalogue
):
    first = factories.course_with_modules(catalogue, modules=1, slug="first")
    second = factories.course_with_modules(catalogue, modules=1, slug="second")
    old_name = teacher.full_name
    before = factories.certificate(first, user=teacher)

    response = teacher_client.post(NAME, {"full_name": "  Tess   Okafor-Teacher "}, follow=True)
    assert response.redirect_chain == [(reverse("accounts:home"), 302)]
    assert "Your name is saved." in response.text
    teacher.refresh_from_db()
    assert teacher.full_name == "Tess Okafor-Teacher"
    after = factories.certificate(second, user=teacher)

    # The certificate she already held keeps the name printed on it; the next one has hers.
    assert Certificate.objects.get(pk=before.pk).name_on_certificate == old_name
    assert after.name_on_certificate == "Tess Okafor-Teacher"
    assert teacher_client.get(f"/verify/{before.code}/").text.count(old_name) >= 1
    assert "Tess Okafor-Teacher" in teacher_client.get(f"/verify/{after.code}/").text


def test_the_change_is_in_the_audit_log_without_the_names(teacher_client, teacher):
    teacher_client.post(NAME, {"full_name": "Tess Okafor"})
    [event] = AuditEvent.objects.all()
    assert (event.action, event.account_number, event.detail) == (
        AuditAction.NAME_CHANGED,
        teacher.pk,
        "",
    )
    teacher_client.post(NAME, {"full_name": "Tess Okafor"})  # the same name: nothing changed
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("typed", ["", "   ", "---", "\u202e\u200b"])
def test_a_name_without_letters_is_refused_and_nothing_changes(teacher_client, teacher, typed):
    response = teacher_client.post(NAME, {"full_name": typed})
    assert response.status_code == 200
    assert "Please enter your name." in response.text or "This field is required." in (
        response.text
    )
    before = teacher.full_name
    teacher.refresh_from_db()
    assert teacher.full_name == before


def test_markup_in_a_name_is_kept_as_text_and_shown_escaped(teacher_client, teacher):
    teacher_client.post(NAME, {"full_name": "<script>alert(1)</script> Tess"})
    teacher.refresh_from_db()
    assert teacher.full_name == "<script>alert(1)</script> Tess"
    page = teacher_client.get(reverse("accounts:home")).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tess" in page


def test_a_name_too_long_to_print_is_refused(teacher_client, teacher):
    response = teacher_client.post(NAME, {"full_name": "T" * 151})
    assert "at most 150 characters" in response.text


def test_an_account_without_a_name_is_told_to_add_one(client):
    nameless = factories.teacher(full_name="")
    client.force_login(nameless)
    page = client.get(reverse("accounts:home")).text
    assert "we cannot issue you a certificate without a name" in page
    assert 'href="/account/name/"' in page


def test_signing_out_leaves_the_name_page_to_the_signed_in(client):
    response = client.get(NAME)
    assert response["Location"].startswith("/accounts/login/")
    assert client.post(NAME, {"full_name": "Someone"}).status_code == 302
