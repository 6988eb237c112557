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
    seed_quizzes(course, accounts["teacher@example.com"])
    seed_certificates(course, accounts)
    return {"course": course, "accounts": accounts}


# --- Quizzes (quizzes/): starter quizzes, self-assessment and the demo teacher's attempts ---

DEMO_AGREEMENT_ITEM = {
    "type": "agreement",
    "statement": "I could explain the difference between an achievement gap and an "
    "opportunity gap to a colleague.",
}
# Where the demo teacher started and ended on each self-assessment statement.
PRE_RATINGS = (4, 2, 3, 2, 3, 3, 2, 2, 4, 3)
POST_RATINGS = (5, 4, 4, 3, 4, 4, 4, 4, 4, 5)
DEMO_REFLECTION = (
    "In my grade seven mathematics class there is a group of students who arrive with gaps "
    "from earlier years, and for a long time I gave them easier worksheets while the rest of "
    "the class worked on grade-level problems. After this module I can see that this choice "
    "was cutting their opportunity to learn the very content they are tested on. This term I "
    "will keep every student on the shared grade-level task, add a worked example and a "
    "short warm-up that reviews the skills they need, and check in with each of them twice "
    "a week. I will know it is helping if their exit tickets improve over six weeks and if "
    "they start asking questions in front of their classmates."
)


def seed_quizzes(course: CoursePage, teacher) -> None:
    """Attach the starter quizzes and self-assessment; the demo teacher has taken both
    self-assessments and passed every module quiz (written through the quiz services)."""
    import uuid

    from modules.selectors import course_progress
    from quizzes import services as quiz_services
    from quizzes.grading import quiz_questions
    from quizzes.models import AttemptKind
    from quizzes.starter import attach_starter_quizzes

    data = read_course_data()
    first_module = data.modules[0]["slug"]
    attach_starter_quizzes(
        course=course, course_data=data, extra_questions={first_module: [DEMO_AGREEMENT_ITEM]}
    )
    course.refresh_from_db()

    def key(*parts) -> uuid.UUID:  # the same key every run: the service returns the attempt
        return uuid.uuid5(uuid.NAMESPACE_URL, "pd-demo:" + ":".join(str(p) for p in parts))

    def answers_for(quiz, ratings: tuple[int, ...]) -> dict:
        answers = {}
        for number, question in enumerate(quiz_questions(quiz)):
            if question.type == "multiple_choice":
                answers[question.id] = sorted(question.correct_ids)
            elif question.type == "agreement":
                answers[question.id] = [str(ratings[number % len(ratings)])]
            else:
                answers[question.id] = [DEMO_REFLECTION]
        return answers

    progress_services.enroll(user=teacher, course=course)
    progress = course_progress(user=teacher, course=course)
    sa = course.self_assessment
    if sa is not None and not progress.pre_attempt_id:
        quiz_services.submit_attempt(
            user=teacher,
            quiz=sa,
            kind=AttemptKind.PRE,
            course=course,
            answers=answers_for(sa, PRE_RATINGS),
            idempotency_key=key(teacher.pk, sa.pk, "pre"),
        )
    for status in progress.modules:
        module = status.module
        if module.quiz_id and not status.last_attempt_id:
            quiz_services.submit_attempt(
                user=teacher,
                quiz=module.quiz,
                module=module,
                answers=answers_for(module.quiz, (4,)),
                idempotency_key=key(teacher.pk, module.pk),
            )
    progress = course_progress(user=teacher, course=course)
    if sa is not None and not progress.post_attempt_id and progress.post_assessment_open:
        quiz_services.submit_attempt(
            user=teacher,
            quiz=sa,
            kind=AttemptKind.POST,
            course=course,
            answers=answers_for(sa, POST_RATINGS),
            idempotency_key=key(teacher.pk, sa.pk, "post"),
        )


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
    seed_quizzes(course, priya)  # quizzes and the post self-assessment complete the course
    credit_services.queue_for_approval(enrollment=Enrollment.objects.get(user=priya, course=course))
