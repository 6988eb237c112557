"""The demo site: starter course, demo accounts and enough activity that every screen shows
something real. Every step is idempotent: running `seed_demo` twice changes nothing."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site

from modules import services as progress_services
from modules.models import CourseIndexPage, CoursePage
from modules.starter_content import load_course, read_course_data

from .models import HomePage
from .roles import COACHES, PD_ADMINS, TEACHERS

DEMO_PASSWORD = "pd-demo-2026"
DEMO_ACCOUNTS = [
    # email, full name, roles, superuser
    ("teacher@example.com", "Jordan Rivera", [TEACHERS], False),
    ("coach@example.com", "Sam Okafor", [COACHES], False),
    ("admin@example.com", "Alex Morgan", [PD_ADMINS], True),
]
HOME_INTRO = (
    "<p>Short, practical online modules on equity, culturally relevant teaching and high "
    "expectations. Work at your own pace, reflect on your practice and earn PD credit.</p>"
)


def ensure_home_page() -> HomePage:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title="Professional learning for teachers", slug="pd-home", intro=HOME_INTRO
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="PD Courses",
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        # Wagtail's placeholder welcome page has no place in our tree.
        if type(old_root.specific) is Page and old_root.depth == 2:
            old_root.delete()
    return home


def ensure_catalogue(home: HomePage) -> CourseIndexPage:
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = CourseIndexPage(
            title="Courses",
            slug="courses",
            intro="Every course is free to start. Pick one and enrol to track your progress.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def ensure_account(email: str, full_name: str, roles: list[str], superuser: bool):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=full_name,
            is_staff=superuser,
            is_superuser=superuser,
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


def ensure_starter_course(index: CourseIndexPage, *, reset: bool) -> CoursePage:
    course, _changed = load_course(index=index, data=read_course_data(), reset=reset)
    return course


def complete_course_for(user, course: CoursePage) -> None:
    progress_services.enroll(user=user, course=course)
    for module in course.get_children().live().specific():
        progress_services.mark_module_complete(user=user, module=module, course=course)


@transaction.atomic
def seed(*, reset_content: bool = False) -> dict:
    home = ensure_home_page()
    index = ensure_catalogue(home)
    course = ensure_starter_course(index, reset=reset_content)
    accounts = {
        email: ensure_account(email, name, roles, su) for email, name, roles, su in DEMO_ACCOUNTS
    }
    complete_course_for(accounts["teacher@example.com"], course)
    seed_certificates(course, accounts)
    return {"course": course, "accounts": accounts}


def seed_certificates(course: CoursePage, accounts: dict) -> None:
    """PD credit: the starter course earns clock hours; the demo teacher holds its certificate
    and one more completion (Priya Shah's) waits in the approval queue."""
    from certificates import services as credit_services
    from certificates.models import CertificateSettings, CourseApproval, CreditType
    from modules.models import Enrollment

    look = CertificateSettings.for_site(course.get_site())
    if not look.signatory_name:
        look.signatory_name = "Alex Morgan"
        look.signatory_title = "Director of Professional Learning"
        look.save()

    clock_hours, _created = CreditType.objects.get_or_create(
        name="Clock hours", defaults={"unit": "hours"}
    )
    if course.credit_type_id != clock_hours.pk or not course.approvals.exists():
        course.credit_type = clock_hours
        if not course.approvals.exists():
            course.approvals = [
                CourseApproval(
                    agency="Demo State Department of Education",
                    approval_number="PD-2026-0417",
                )
            ]
        course.save_revision().publish()
        course.refresh_from_db()
    teacher = accounts["teacher@example.com"]
    credit_services.issue_certificate(
        enrollment=Enrollment.objects.get(user=teacher, course=course), issued_by=None
    )
    priya = ensure_account("priya@example.com", "Priya Shah", [TEACHERS], False)
    complete_course_for(priya, course)
    credit_services.queue_for_approval(enrollment=Enrollment.objects.get(user=priya, course=course))
