"""Credit that expires: "valid until" everywhere, expired shown as expired (not revoked),
and renewal reminders 60 and 14 days before, each sent once."""

import datetime
import io
import json

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from certificates import renewals, selectors, services
from certificates.models import RenewalReminder
from tests import factories

pytestmark = pytest.mark.django_db

ISSUED = datetime.datetime(2027, 3, 15, 15, 0, tzinfo=datetime.UTC)
LAST_DAY = datetime.date(2028, 3, 14)


@pytest.fixture
def yearly(credit_course):
    credit_type = credit_course.credit_type
    credit_type.validity_months = 12
    credit_type.save()
    with time_machine.travel(ISSUED, tick=False):
        certificate = factories.certificate(
            credit_course, user=factories.teacher(full_name="Maya Chen")
        )
    certificate.refresh_from_db()
    return certificate


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert services.add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert services.add_months(datetime.date(2027, 11, 15), 3) == datetime.date(2028, 2, 15)


def test_one_year_credit_is_valid_until_the_day_before_its_anniversary(yearly):
    assert yearly.valid_until == LAST_DAY
    credential = json.loads(yearly.credential_json)
    assert credential["validUntil"] == "2028-03-14T23:59:59Z"


def test_credit_without_a_validity_period_has_no_end(credit_course):
    certificate = factories.certificate(credit_course)
    assert certificate.valid_until is None
    assert "validUntil" not in json.loads(certificate.credential_json)


def test_valid_until_shows_on_the_verify_page_transcript_dashboard_csv_and_pdf(client, yearly):
    with time_machine.travel(datetime.datetime(2027, 6, 1, tzinfo=datetime.UTC)):
        verify = client.get(yearly.get_verify_path()).content.decode()
        assert "Valid until March 14, 2028" in verify
        client.force_login(yearly.user)
        assert (
            "valid until March 14, 2028"
            in client.get(reverse("certificates:transcript")).content.decode()
        )
        assert "valid until March 14, 2028" in client.get(reverse("dashboard")).content.decode()
        csv_text = client.get(reverse("certificates:transcript_csv")).content.decode()
        assert "2028-03-14" in csv_text
        pdf = b"".join(client.get(yearly.get_absolute_url()).streaming_content)
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        # The stylesheet sets the labels in capitals.
        assert "VALID UNTIL" in text.upper() and "March 14, 2028" in text, text
        transcript_pdf = client.get(reverse("certificates:transcript_pdf")).content
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(transcript_pdf)).pages)
        assert "valid until March 14, 2028" in " ".join(text.split())  # wrapped in its cell
        checked = client.post(reverse("certificates:verify_form"), {"text": yearly.credential_json})
        assert "2028-03-14T23:59:59Z" in checked.content.decode()  # the credential's validUntil


def test_expired_credit_shows_as_expired_not_revoked(client, yearly):
    with time_machine.travel(datetime.datetime(2028, 4, 1, 12, tzinfo=datetime.UTC)):
        page = client.get(yearly.get_verify_path()).content.decode()
        assert "Expired on March 14, 2028" in page
        assert "was not revoked" in page
        assert "Revoked" not in page
        report = selectors.verify_credential_bytes(yearly.credential_json.encode())
        checks = {check.key: check for check in report.checks}
        assert checks["period"].state == "fail"
        assert "Expired on 2028-03-14" in checks["period"].message
        assert checks["status"].state == "pass"


def run_on(day: datetime.date) -> int:
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(9), datetime.UTC)):
        return renewals.send_renewal_reminders(today=day)


def test_reminders_go_60_and_14_days_before_each_once(yearly, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert run_on(LAST_DAY - datetime.timedelta(days=61)) == 0
        assert run_on(LAST_DAY - datetime.timedelta(days=60)) == 1
        assert run_on(LAST_DAY - datetime.timedelta(days=60)) == 0
        assert run_on(LAST_DAY - datetime.timedelta(days=30)) == 0
        assert run_on(LAST_DAY - datetime.timedelta(days=14)) == 1
        assert run_on(LAST_DAY - datetime.timedelta(days=3)) == 0
        assert run_on(LAST_DAY + datetime.timedelta(days=1)) == 0
    renewal_mails = [m for m in mail.outbox if "expires on" in m.subject]
    assert len(renewal_mails) == 2
    assert renewal_mails[0].to == [yearly.user.email]
    assert "take the course again" in renewal_mails[0].body
    assert yearly.course.url in renewal_mails[0].body
    assert sorted(RenewalReminder.objects.values_list("days_before", flat=True)) == [14, 60]


def test_the_reminder_names_the_refresher_course_when_the_admin_set_one(
    yearly, catalogue, django_capture_on_commit_callbacks
):
    refresher = factories.course_with_modules(catalogue, modules=1, slug="refresher")
    credit_type = yearly.course.credit_type
    credit_type.refresher_course = refresher
    credit_type.save()
    with django_capture_on_commit_callbacks(execute=True):
        run_on(LAST_DAY - datetime.timedelta(days=10))
    (message,) = [m for m in mail.outbox if "expires on" in m.subject]
    assert 'refresher course "Course refresher"' in message.body
    assert refresher.url in message.body


def test_revoked_credit_gets_no_renewal_reminder(yearly):
    services.revoke_certificate(certificate=yearly, revoked_by=factories.pd_admin(), reason="x")
    assert run_on(LAST_DAY - datetime.timedelta(days=14)) == 0


def test_the_daily_reminders_command_sends_renewals_too(yearly):
    out = io.StringIO()
    day = (LAST_DAY - datetime.timedelta(days=59)).isoformat()
    call_command("send_reminders", "--today", day, stdout=out)
    assert "1 credit renewals" in out.getvalue()
    call_command("send_reminders", "--today", day, stdout=out)
    assert "0 credit renewals" in out.getvalue()
