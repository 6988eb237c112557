"""One organisation setting (core.models.Organisation): its name is what the site header,
emails, certificates and transcripts show."""

import io
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from pypdf import PdfReader
from wagtail.models import Site

from certificates import rendering
from certificates.models import Certificate
from certificates.selectors import transcript_for
from coaching import feedback as coaching_feedback
from coaching import services as coaching_services
from coaching.enums import FeedbackKind
from core.models import Organisation, organisation_name
from tests import factories

pytestmark = pytest.mark.django_db

NAME = "Lakeside Unified"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def organisation(catalogue):
    setting = Organisation.for_site(catalogue.get_site())
    setting.name = NAME
    setting.signatory_name = "Dr. Ana Ruiz"
    setting.signatory_title = "Director of Professional Learning"
    setting.save()
    return setting


def test_the_header_title_and_footer_show_the_organisation_name(client, organisation):
    html = client.get("/courses/").text
    assert f'<a class="brand" href="/">{NAME}</a>' in html
    assert f"· {NAME}</title>" in html
    assert f"{NAME}: professional learning for teachers." in html


def test_the_name_costs_one_query_then_none_and_an_edit_shows_on_the_next_page(
    client, organisation, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert organisation_name() == NAME
    with django_assert_num_queries(0):
        assert organisation_name() == NAME
    client.get("/courses/")  # a Wagtail page on the default site shares the cached name
    with django_assert_num_queries(0):
        assert organisation_name() == NAME

    organisation.name = "Riverside County Schools"
    organisation.save()
    html = client.get("/courses/").text
    assert '<a class="brand" href="/">Riverside County Schools</a>' in html
    assert organisation_name() == "Riverside County Schools"


def test_a_new_default_site_brings_its_own_name(catalogue, organisation):
    assert organisation_name() == NAME
    other = Site.objects.create(
        hostname="other.example", root_page=catalogue, is_default_site=False
    )
    Organisation.objects.create(site=other, name="Other District")
    assert organisation_name() == NAME
    Site.objects.filter(pk=organisation.site_id).update(is_default_site=False)
    other.is_default_site = True
    other.save()
    assert organisation_name() == "Other District"


def test_without_a_site_the_default_name_is_used(rf):
    Site.objects.all().delete()
    assert organisation_name() == "PD Courses"
    assert organisation_name(rf.get("/")) == "PD Courses"


def test_the_certificate_and_transcript_pdfs_print_the_organisation(course, organisation):
    course.credit_type = factories.credit_type()
    course.credit_hours = 6
    course.save()
    teacher = factories.teacher(full_name="Maya Chen")
    certificate = factories.certificate(course, user=teacher)
    text = pdf_text(rendering.render_certificate(certificate))
    assert NAME.upper() in text.upper()
    assert "Dr. Ana Ruiz" in text
    assert "Director of Professional Learning" in text
    transcript = pdf_text(
        rendering.render_transcript(user=teacher, transcript=transcript_for(user=teacher))
    )
    assert NAME in transcript


def test_the_certificate_email_is_signed_with_the_organisation_name(
    course, organisation, django_capture_on_commit_callbacks
):
    course.credit_type = factories.credit_type()
    course.credit_hours = 6
    course.save()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = factories.completed_enrollment(course)
    assert Certificate.objects.filter(enrollment=enrollment).exists()
    [message] = mail.outbox
    assert NAME in message.body
    assert NAME in message.alternatives[0][0]


def test_coaching_emails_name_the_organisation(
    course, organisation, django_capture_on_commit_callbacks
):
    coach, teacher = factories.coach(), factories.teacher()
    cohort = factories.cohort(coaches=[coach], members=[teacher])
    coaching_services.assign_course(
        cohort=cohort, course=course, due_on=date(2099, 1, 1), assigned_by=coach
    )
    answer = factories.reflection(user=teacher, module=course.get_children().first().specific)
    with django_capture_on_commit_callbacks(execute=True):
        coaching_feedback.leave_feedback(
            coach=coach, answer=answer, kind=FeedbackKind.STRENGTH, body="Well noticed."
        )
    [message] = mail.outbox
    assert NAME in message.body
    assert NAME in message.alternatives[0][0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_copies_certificate_settings_and_site_branding(catalogue):
    site = catalogue.get_site()
    other = Site.objects.create(hostname="other.example.org", root_page=catalogue, port=80)
    executor = MigrationExecutor(connection)
    before = [
        ("core", "0001_organisation"),
        ("certificates", "0003_pd_admin_permissions"),
        ("pdsite", "0003_roles"),
    ]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    old_apps.get_model("certificates", "CertificateSettings").objects.create(
        site_id=site.pk,
        organisation_name=NAME,
        signatory_name="Dr. Ana Ruiz",
        signatory_title="Director",
        accent_colour="#aa0000",
        page_size="a4",
    )
    branding = old_apps.get_model("pdsite", "SiteBranding")
    branding.objects.create(site_id=site.pk, organisation_name="Ignored", accent_colour="#00aa00")
    branding.objects.create(site_id=other.pk, organisation_name="Other District")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    copied = Organisation.objects.get(site=site)
    assert (copied.name, copied.signatory_name, copied.signatory_title) == (
        NAME,
        "Dr. Ana Ruiz",
        "Director",
    )
    assert (copied.accent_colour, copied.page_size) == ("#aa0000", "a4")
    assert Organisation.objects.get(site=other).name == "Other District"
    assert factories.pd_admin().has_perm("core.change_organisation")
