"""LinkedIn's add-to-profile link on the certificate card and the verify page."""

import datetime
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse

from certificates import services
from certificates.linkedin import profile_fields
from tests import factories

pytestmark = pytest.mark.django_db

ISSUED = datetime.datetime(2027, 3, 15, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def certificate(credit_course):
    credit_course.credit_type.validity_months = 24
    credit_course.credit_type.save()
    with time_machine.travel(ISSUED, tick=False):
        return factories.certificate(credit_course, user=factories.teacher(full_name="Maya Chen"))


def test_the_link_carries_name_organisation_dates_url_and_id(certificate):
    fields = profile_fields(certificate, "Lakeside PD")
    url = urlsplit(fields.add_url)
    assert (url.scheme, url.netloc, url.path) == ("https", "www.linkedin.com", "/profile/add")
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.course_title,
        "organizationName": "Lakeside PD",
        "issueYear": "2027",
        "issueMonth": "3",
        "expirationYear": "2029",
        "expirationMonth": "3",
        "certUrl": certificate.get_verify_url(),
        "certId": certificate.code,
    }


def test_the_card_and_the_verify_page_offer_it_with_copyable_fields(client, certificate):
    client.force_login(certificate.user)
    for url in (reverse("dashboard"), certificate.get_verify_path()):
        page = unescape(client.get(url).content.decode())
        assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
        assert "March 2027" in page and "March 2029" in page
        assert certificate.code in page


def test_a_revoked_certificate_offers_no_linkedin_link(client, certificate):
    services.revoke_certificate(
        certificate=certificate, revoked_by=factories.pd_admin(), reason="x"
    )
    assert "linkedin.com" not in client.get(certificate.get_verify_path()).content.decode()
