"""The demo site: starter course, demo accounts and enough activity that every screen shows
something real. Every step is idempotent: running `seed_demo` twice changes nothing."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site

from core.roles import COACHES, PD_ADMINS, TEACHERS
from modules import services as progress_services
from modules.models import CourseIndexPage, CoursePage
from modules.starter_content import load_course, read_course_data

from .models import HomePage

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
    seed_coaching_demo(course, accounts)
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
    from certificates.models import CourseApproval, CreditType
    from core.models import Organisation
    from modules.models import Enrollment

    look = Organisation.for_site(course.get_site())
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


# --- coaching demo (coaching branch) ----------------------------------------------------------

COACHING_DEMO_TEACHERS = [
    # email, full name, modules of the starter course completed (None: not even enrolled yet)
    ("maya.chen@example.com", "Maya Chen", 0),
    ("luis.ortega@example.com", "Luis Ortega", 2),
    ("dev.patel@example.com", "Dev Patel", 1),
]
COACHING_DEMO_COHORT = "Spring 2027 student teachers"
COACHING_DEMO_REFLECTION = (
    "I tracked who I called on during one math lesson. Most of my questions went to the four "
    "students who raise their hands first. Next week I will use name sticks and wait five "
    "seconds before taking an answer."
)


def _demo_teacher_accepts(*, cohort, coach, teacher):
    """The demo cohort is seeded as accepted: invited by the coach, accepted by the teacher,
    through the same services as on the site (so the demo shows consent as it really is)."""
    from coaching import services as coaching
    from coaching.models import Invitation

    if cohort.memberships.filter(user=teacher).exists():
        return
    coaching.add_member(cohort=cohort, email=teacher.email, added_by=coach)
    invitation = Invitation.objects.get(
        cohort=cohort,
        email=teacher.email,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        declined_at__isnull=True,
    )
    coaching.accept_invitation(invitation=invitation, user=teacher)


def seed_coaching_demo(course: CoursePage, accounts: dict) -> None:
    """The demo coach's cohort: teachers at different stages, the starter course assigned two
    weeks out, one teacher overdue on a personal deadline, one reflection with feedback."""
    import datetime
    import uuid

    from django.utils import timezone

    from coaching import services as coaching
    from coaching.models import Assignment, Cohort, Feedback
    from quizzes.models import Answer, Attempt, Quiz

    coach = accounts["coach@example.com"]
    teachers = [accounts["teacher@example.com"]]
    for email, name, _done in COACHING_DEMO_TEACHERS:
        teachers.append(ensure_account(email, name, [TEACHERS], False))
    cohort = Cohort.objects.filter(name=COACHING_DEMO_COHORT, coaches=coach).first()
    if cohort is None:
        cohort = coaching.create_cohort(
            coach=coach,
            name=COACHING_DEMO_COHORT,
            program="Elementary certification",
            description="Student teachers placed in district schools this spring.",
        )
    for teacher in teachers:
        _demo_teacher_accepts(cohort=cohort, coach=coach, teacher=teacher)
    today = timezone.localdate()
    if not Assignment.objects.filter(cohort=cohort, course=course).exists():
        coaching.assign_course(
            cohort=cohort,
            course=course,
            due_on=today + datetime.timedelta(days=14),
            assigned_by=coach,
        )
    modules = list(course.get_children().live().specific())
    by_email = {teacher.email: teacher for teacher in teachers}
    for email, _name, done in COACHING_DEMO_TEACHERS:
        for module in modules[:done]:
            progress_services.mark_module_complete(
                user=by_email[email], module=module, course=course
            )
    dev = by_email["dev.patel@example.com"]
    if not Assignment.objects.filter(user=dev, course=course).exists():
        coaching.assign_course(
            user=dev,
            course=course,
            due_on=today - datetime.timedelta(days=3),
            assigned_by=coach,
        )
    luis = by_email["luis.ortega@example.com"]
    if (
        modules
        and not Answer.objects.filter(attempt__user=luis, question_type="reflection").exists()
    ):
        quiz = Quiz.objects.get_or_create(title="Demo reflection: who gets to answer?")[0]
        attempt = Attempt.objects.create(
            user=luis,
            quiz=quiz,
            module=modules[0],
            course=course,
            passed=True,
            idempotency_key=uuid.uuid4(),
        )
        answer = Answer.objects.create(
            attempt=attempt,
            question_id="demo-reflection",
            question_type="reflection",
            question_text="Whose voices did you hear most in one lesson this week?",
            text=COACHING_DEMO_REFLECTION,
        )
        if not Feedback.objects.filter(answer=answer).exists():
            coaching.leave_feedback(
                coach=coach,
                answer=answer,
                kind="strength",
                body="Counting who you called on is a strong first step. Try it again after "
                "a week of name sticks and compare.",
            )
