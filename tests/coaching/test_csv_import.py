import pytest
from django.core import mail

from coaching import csv_import as coaching_csv_import
from coaching.models import CohortMembership, Invitation
from tests import factories


def report_for(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return coaching_csv_import.parse_csv(data)


def test_a_clean_file_with_a_header_and_a_bom_is_ready():
    report = report_for("\ufeffemail,full name\nana@example.org,Ana Ruiz\nbo@example.org,Bo Li\n")
    assert report.file_errors == []
    assert [(r.email, r.full_name) for r in report.good_rows] == [
        ("ana@example.org", "Ana Ruiz"),
        ("bo@example.org", "Bo Li"),
    ]


def test_broken_rows_are_reported_line_by_line_and_the_rest_are_ready():
    report = report_for(
        "ana@example.org,Ana Ruiz\n"
        "not-an-email,Someone\n"
        "ANA@example.org,Ana again\n"
        "cy@example.org,Cy,extra column\n"
        "\n"
        "dee@example.org,Dee\n"
    )
    problems = {row.line: row.errors for row in report.bad_rows}
    assert list(problems) == [2, 3, 4]
    assert "not a valid email address" in problems[2][0]
    assert "Repeats the address on line 1" in problems[3][0]
    assert "Too many columns (3)" in problems[4][0]
    assert [row.email for row in report.good_rows] == ["ana@example.org", "dee@example.org"]


def test_a_file_that_is_not_utf8_is_refused_whole():
    report = report_for("josé@example.org,José Núñez\n".encode("latin-1"))
    assert "not UTF-8" in report.file_errors[0]
    assert report.good_rows == []


def test_an_empty_file_is_refused():
    assert "empty" in report_for(b"").file_errors[0]
    assert "empty" in report_for(b"  \n \n").file_errors[0]


def test_a_header_only_file_has_no_rows():
    assert "no rows" in report_for("email,full name\n").file_errors[0]


def test_a_file_over_5_mb_is_refused_without_parsing():
    big = b"a@example.org,A\n" * (coaching_csv_import.MAX_CSV_BYTES // 16 + 1)
    report = report_for(big)
    assert "5 MB" in report.file_errors[0]
    assert report.rows == []


@pytest.mark.django_db
def test_importing_invites_every_good_row_whether_or_not_it_has_an_account(coach):
    factories.teacher(email="known@example.org")
    cohort = factories.cohort(coaches=[coach])
    report = report_for("known@example.org,Known\nnew@example.org,New Person\nbad,Bad\n")
    rows = [{"email": r.email, "full_name": r.full_name} for r in report.good_rows]
    counts = coaching_csv_import.import_rows(cohort=cohort, rows=rows, added_by=coach)
    assert counts == {"invited": 2}
    assert not CohortMembership.objects.exists()
    assert Invitation.objects.get(email="new@example.org").full_name == "New Person"


def test_a_file_with_more_than_500_teachers_is_refused_and_says_how_to_fix_it():
    rows = "".join(f"t{n}@example.org,Teacher {n}\n" for n in range(501))
    report = report_for(rows)
    assert "more than 500 teachers" in report.file_errors[0]
    assert report.good_rows == []
    assert len(report.rows) == 500  # parsing stopped at the limit
    assert report_for(rows.split("\n", 1)[1]).file_errors == []


@pytest.mark.django_db
def test_importing_500_rows_sends_the_emails_from_one_task_after_the_commit(coach, committed):
    cohort = factories.cohort(coaches=[coach])
    report = report_for("".join(f"t{n}@example.org,Teacher {n}\n" for n in range(500)))
    rows = [{"email": r.email, "full_name": r.full_name} for r in report.good_rows]
    with committed() as callbacks:
        coaching_csv_import.import_rows(cohort=cohort, rows=rows, added_by=coach)
        assert mail.outbox == []  # nothing is sent inside the transaction
    assert len(callbacks) == 1
    assert len(mail.outbox) == 500
