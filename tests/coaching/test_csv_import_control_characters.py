"""A NUL byte (or another control character) in an imported name is refused with a row error
before anything is stored: PostgreSQL cannot store a NUL, so the import used to fail with a
server error after the check page had said the row was fine (issue 19, item 12)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaching import csv_import as coaching_csv_import
from coaching.models import Invitation
from tests import factories


@pytest.mark.parametrize(
    "cell, code",
    [
        ("Ana\x00Ruiz", "U+0000"),
        ("Ana\x1bRuiz", "U+001B"),
        ("Ana\x7fRuiz", "U+007F"),
        ('"Ana\nRuiz"', "U+000A"),  # a line break inside a quoted cell
        ("Ana\tRuiz", "U+0009"),
    ],
)
def test_a_control_character_in_a_name_is_a_row_error_that_names_it(cell, code):
    report = coaching_csv_import.parse_csv(
        f"ana@example.org,{cell}\nbo@example.org,Bo Li\n".encode()
    )
    [bad] = report.bad_rows
    assert bad.errors == [
        f"The name contains an invisible control character ({code}). "
        "Retype it and upload the file again."
    ]
    assert [row.email for row in report.good_rows] == ["bo@example.org"]


def test_a_control_character_in_an_address_is_named_once():
    report = coaching_csv_import.parse_csv(b"ana\x00@example.org,Ana Ruiz\n")
    assert report.bad_rows[0].errors == [
        "The email address contains an invisible control character (U+0000). "
        "Retype it and upload the file again."
    ]


def test_letters_from_any_language_are_not_control_characters():
    report = coaching_csv_import.parse_csv("zoe@example.org,Zoë Ñúñez-Øster 王芳\n".encode())
    assert report.bad_rows == []


@pytest.mark.django_db
def test_uploading_a_name_with_a_nul_byte_imports_only_the_other_rows(client, coach):
    """Run on PostgreSQL too: there, storing the NUL used to raise a server error."""
    cohort = factories.cohort(coaches=[coach])
    client.force_login(coach)
    response = client.post(
        reverse("coaching:import_csv", args=[cohort.pk]),
        {
            "file": SimpleUploadedFile(
                "teachers.csv", b"ana@example.org,Ana\x00Ruiz\nbo@example.org,Bo Li\n"
            )
        },
    )
    assert "1 row is ready to import." in response.text
    assert "The name contains an invisible control character (U+0000)." in response.text
    response = client.post(
        reverse("coaching:import_confirm", args=[cohort.pk, response.context["token"]]),
        {"action": "import"},
    )
    assert response.status_code == 302
    assert list(Invitation.objects.values_list("email", "full_name")) == [
        ("bo@example.org", "Bo Li")
    ]
