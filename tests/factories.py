"""Test data built the way the product builds it: pages through the tree, users with a
verified email address, roles through groups."""

import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client as DjangoClient
from wagtail.models import Locale, Page, Site

from accounts.second_factor import (  # noqa: F401  (give_totp_device: for tests)
    give_totp_device,
    has_second_factor,
    record_second_factor,
)
from core.roles import COACHES, PD_ADMINS, TEACHERS
from modules.models import CourseIndexPage, CoursePage, ModulePage
from pdsite.models import HomePage

PASSWORD = "a-long-test-password-2026"
# The authenticator app every test coach and PD administrator has (base32, like a real one).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"teacher{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
            self.save()

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=extracted or TEACHERS)[0])


def teacher(**kwargs):
    return UserFactory(role=TEACHERS, **kwargs)


def coach(*, second_factor=True, **kwargs):
    """A coach; with an authenticator app unless `second_factor=False` (then every page but
    their account sends them to set one up)."""
    return _with_second_factor(UserFactory(role=COACHES, **kwargs), second_factor)


def pd_admin(*, second_factor=True, **kwargs):
    return _with_second_factor(UserFactory(role=PD_ADMINS, **kwargs), second_factor)


def superuser(**kwargs):
    """A Wagtail superuser (a PD administrator too, so with an authenticator app)."""
    return _with_second_factor(UserFactory(is_superuser=True, is_staff=True, **kwargs), True)


def _with_second_factor(user, wanted: bool):
    if wanted:
        give_totp_device(user, TOTP_SECRET)
    return user


def totp_code(*, secret=TOTP_SECRET, at=None) -> str:
    """The code an authenticator app with this secret shows now (or at `at`, a timestamp)."""
    return format_hotp_value(hotp_value(secret, int(at if at is not None else time.time()) // 30))


class Client(DjangoClient):
    """Django's test client whose force_login (and login) leave the session as a completed
    allauth sign-in would: password, then (for a user with an authenticator app) the code.
    `force_login(user, second_factor=False)` gives a session that has not typed a code yet.
    The check itself (accounts.middleware) is untouched: it reads the same session record."""

    second_factor = True

    def force_login(self, user, backend=None, *, second_factor=True):
        self.second_factor = second_factor
        try:
            super().force_login(user, backend)
        finally:
            self.second_factor = True

    def _login(self, user, backend=None):
        super()._login(user, backend)
        if self.second_factor and has_second_factor(user):
            session = self.session
            record_second_factor(session, user)
            session.save()


def site_tree() -> CourseIndexPage:
    """Home page at the site root with the catalogue below it, as seed_demo builds it."""
    root = Page.get_first_root_node()
    if root is None:  # a transactional test flushed the migration-made root
        Locale.objects.get_or_create(language_code="en")
        root = Page.add_root(title="Root", slug="root")
    home = HomePage(title="Welcome", slug="pd-home")
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "root_page": home, "port": 80}
    )
    Site.objects.exclude(root_page=home).delete()
    index = CourseIndexPage(title="Courses", slug="courses")
    home.add_child(instance=index)
    return index


def course_with_modules(
    index: CourseIndexPage,
    *,
    modules: int = 3,
    sequential: bool = False,
    slug: str = "equity",
    optional: tuple[int, ...] = (),
) -> CoursePage:
    course = CoursePage(
        title=f"Course {slug}",
        slug=slug,
        summary="Why expectations matter.",
        estimated_minutes=120,
        credit_hours=2,
        sequential=sequential,
        objectives=[{"type": "objective", "value": "Explain the opportunity gap."}],
    )
    index.add_child(instance=course)
    for number in range(1, modules + 1):
        course.add_child(
            instance=ModulePage(
                title=f"Module {number}",
                slug=f"module-{number}",
                summary=f"Summary of module {number}.",
                required=number not in optional,
                body=[
                    {
                        "type": "rich_text",
                        "value": f"<h2>Part {number}</h2><p>Reading {number}.</p>",
                    },
                    {
                        "type": "research_note",
                        "value": {
                            "title": "Opportunity to learn",
                            "body": "<p>Access predicts learning.</p>",
                            "citation": "NRC (2001)",
                            "reference": "nrc2001",
                        },
                    },
                ],
            )
        )
    return course


def catalogue_course(
    index: CourseIndexPage,
    *,
    slug: str,
    title: str | None = None,
    summary: str = "A short course for teachers.",
    credit_hours=1,
    credit_type=None,
    topics: tuple[str, ...] = (),
) -> CoursePage:
    """A published course without modules, for the catalogue's list, filters and search."""
    course = CoursePage(
        title=title or f"Course {slug}",
        slug=slug,
        summary=summary,
        credit_hours=credit_hours,
        credit_type=credit_type,
    )
    index.add_child(instance=course)
    if topics:
        course.tags.add(*topics)
        course.save()
    return course


def modules_of(course) -> list:
    """A course's module pages in tree order."""
    return list(course.get_children().specific().order_by("path"))


# --- Quizzes (quizzes engineer) ---------------------------------------------------------


def mc_question(text: str, choices: list[tuple[str, bool, str]], explanation: str = "") -> dict:
    """A multiple-choice block; `choices` are (text, correct, feedback)."""
    return {
        "type": "multiple_choice",
        "value": {
            "question": text,
            "choices": [
                {"text": choice, "correct": correct, "feedback": feedback}
                for choice, correct, feedback in choices
            ],
            "explanation": explanation,
        },
    }


def agreement_question(statement: str) -> dict:
    return {"type": "agreement", "value": {"statement": statement}}


def reflection_question(prompt: str, *, min_words: int = 5, max_chars: int = 500) -> dict:
    return {
        "type": "reflection",
        "value": {"prompt": prompt, "guidance": "", "min_words": min_words, "max_chars": max_chars},
    }


def quiz(*, title: str = "Module quiz", pass_mark: int = 50, questions=None):
    """A saved Quiz; the default has every question type: two multiple choice (one with
    a single correct choice, one with two), an agreement item and a written reflection."""
    from quizzes.models import Quiz

    if questions is None:
        questions = [
            mc_question(
                "What does the opportunity gap describe?",
                [
                    ("Differences in what students are offered", True, "Yes: access drives it."),
                    ("Differences in ability", False, "The research points the other way."),
                ],
                explanation="Flores (2007) reframed the gap as one of opportunity.",
            ),
            mc_question(
                "Which are classroom-level causes?",
                [
                    ("Low expectations", True, "Right: expectations are set in class."),
                    ("Rare checks for understanding", True, "Right: assessment is yours."),
                    ("District funding", False, "That is decided above the classroom."),
                ],
            ),
            agreement_question("I hold every student to grade-level expectations."),
            reflection_question("Describe one step you will take this term."),
        ]
    return Quiz.objects.create(title=title, pass_mark=pass_mark, questions=questions)


def self_assessment(*, statements=("I believe every student can learn.", "I call families.")):
    return quiz(
        title="Self-assessment",
        pass_mark=0,
        questions=[agreement_question(statement) for statement in statements],
    )


def attach_quiz(module, quiz_instance):
    module.quiz = quiz_instance
    module.save(update_fields=["quiz"])
    return module


def right_answers(
    quiz_instance, *, text: str = "I will check in with every student weekly."
) -> dict:
    """{question_id: [values]} answering every question correctly (reflections long enough)."""
    from quizzes.grading import quiz_questions

    answers = {}
    for question in quiz_questions(quiz_instance):
        if question.type == "multiple_choice":
            answers[question.id] = sorted(question.correct_ids)
        elif question.type == "agreement":
            answers[question.id] = ["4"]
        else:
            answers[question.id] = [text]
    return answers


def wrong_answers(quiz_instance, **kwargs) -> dict:
    """Like right_answers, but every multiple-choice question answered with a wrong choice."""
    from quizzes.grading import quiz_questions

    answers = right_answers(quiz_instance, **kwargs)
    for question in quiz_questions(quiz_instance):
        if question.type == "multiple_choice":
            answers[question.id] = [next(c.id for c in question.choices if not c.correct)]
    return answers


# --- certificates -----------------------------------------------------------------------


def credit_type(name: str = "Clock hours", unit: str = "hours"):
    from certificates.models import CreditType

    return CreditType.objects.get_or_create(name=name, defaults={"unit": unit})[0]


def completed_enrollment(course: CoursePage, user=None):
    """An enrolment whose modules are all complete, through the progress services."""
    from modules import services
    from modules.models import Enrollment

    user = user or teacher()
    services.enroll(user=user, course=course)
    for module in course.get_children().live().specific():
        services.mark_module_complete(user=user, module=module, course=course)
    return Enrollment.objects.get(user=user, course=course)


def certificate(course: CoursePage, user=None, issued_by=None):
    from certificates.services import issue_certificate

    return issue_certificate(
        enrollment=completed_enrollment(course, user=user), issued_by=issued_by
    )


# --- coaching (appended by the coaching branch) --------------------------------------------


def cohort(*, coaches=(), members=(), name="Spring cohort"):
    from coaching.models import Cohort, CohortMembership

    group = Cohort.objects.create(name=name)
    group.coaches.add(*coaches)
    CohortMembership.objects.bulk_create(
        [CohortMembership(cohort=group, user=member) for member in members]
    )
    return group


def attempt(*, user, quiz=None, module=None, course=None, kind="module", passed=True, answers=()):
    """A submitted quiz with its answers, written directly (as the quiz app would store it).
    `answers` are dicts of Answer fields, e.g. {"question_type": "reflection", "text": "..."}."""
    import uuid

    from quizzes.models import Answer, Attempt

    made = Attempt.objects.create(
        user=user,
        quiz=quiz or globals()["quiz"](title="Reflection"),
        module=module,
        course=course,
        kind=kind,
        passed=passed,
        score=100 if passed else 0,
        idempotency_key=uuid.uuid4(),
    )
    Answer.objects.bulk_create(
        [
            Answer(
                attempt=made,
                question_id=answer.get("question_id", f"q{n}"),
                **{k: v for k, v in answer.items() if k != "question_id"},
            )
            for n, answer in enumerate(answers, start=1)
        ]
    )
    return made


def reflection(
    *,
    user,
    module,
    text="I noticed my questions went to the same students.",
    prompt="What did you notice in your classroom this week?",
):
    """One written reflection answer on a module's quiz."""
    made = attempt(
        user=user,
        module=module,
        answers=[{"question_type": "reflection", "question_text": prompt, "text": text}],
    )
    return made.answers.get()


def invited_and_accepted(*, cohort, teacher, coach=None):
    """A teacher joins a cohort the only way there is: invited, then accepting."""
    from coaching import invitations
    from coaching.models import Invitation

    if coach is not None:
        invitations.add_member(cohort=cohort, email=teacher.email, added_by=coach)
    invitation = Invitation.objects.get(
        cohort=cohort, email=teacher.email, accepted_at=None, withdrawn_at=None, declined_at=None
    )
    return invitations.accept_invitation(invitation=invitation, user=teacher)


def files_on_disk(settings, root):
    """Media and certificate files on disk under `root`, as in production: public media in
    root/media, certificate PDFs in the private storage at root/private."""
    settings.MEDIA_ROOT = root / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root / "media"},
        },
        "certificates": {
            "BACKEND": "certificates.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": root / "private"},
        },
    }


# --- follow-through (followups) -----------------------------------------------------------


def follow_ups_after_completion(course, user=None, *, days_ago: int = 0):
    """A completed enrolment (completed `days_ago` days ago) and its scheduled follow-ups,
    in step order, through the services."""
    import datetime

    from django.utils import timezone

    from followups import services as followups
    from followups.models import FollowUp
    from modules.models import Enrollment

    enrollment = completed_enrollment(course, user=user)
    if days_ago:
        Enrollment.objects.filter(pk=enrollment.pk).update(
            completed_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        enrollment.refresh_from_db()
        # Scheduled already if the completion signal ran (a transactional test): again,
        # from the earlier completion date.
        FollowUp.objects.filter(enrollment=enrollment).delete()
    return followups.schedule_follow_ups(enrollment=enrollment)


def ask_for_evidence(module):
    """Add a practice task that asks for evidence to the module's body (saved, so live)."""
    module.body.append(
        (
            "practice",
            {
                "title": "Wait ten seconds",
                "grade_band": "K-12",
                "body": "<p>After each question, count to ten before you call on anyone.</p>",
                "ask_for_evidence": True,
            },
        )
    )
    module.save()
    return module


def png_bytes(*, exif_location: bool = False, size=(40, 30)) -> bytes:
    """A small PNG; with `exif_location`, a JPEG-style EXIF block naming a GPS position."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    if exif_location:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
        exif[0x010F] = "PhoneMaker"
        image.save(out, format="PNG", exif=exif)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(*, exif_location: bool = True) -> bytes:
    import io

    from PIL import Image

    image = Image.new("RGB", (40, 30), (10, 120, 200))
    exif = Image.Exif()
    if exif_location:
        exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
        exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def pdf_bytes(*, extra: bytes = b"") -> bytes:
    """A one-page PDF written by hand, with `extra` entries added to its catalogue."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        body += b"%010d 00000 n \n" % offset
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body


def docx_bytes(*, macros: bool = False) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document><w:body>Plan</w:body></w:document>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return out.getvalue()


# --- reports (issue 16) ---------------------------------------------------------------


def report_world(course, *, teachers: int, cohort_name: str = "Oak cohort"):
    """For the PD administrators' reports: `teachers` teachers in the course, all with seat
    time on the first module (10, 11, 12... minutes), every other one completed with a
    certificate, both self-assessments (2 then 4) and a follow-up a coach marked "adapted";
    the first half of them in a cohort."""
    from django.utils import timezone

    from certificates.services import issue_certificate
    from followups import services as followups
    from followups.models import FollowUp, FollowUpReview
    from modules import services
    from modules.models import ActiveTime

    lead = coach()
    survey = self_assessment()
    course.self_assessment = survey
    course.credit_type = credit_type()
    course.save_revision().publish()
    module = modules_of(course)[0]
    people = [teacher() for _ in range(teachers)]
    group = cohort(coaches=[lead], members=people[: teachers // 2], name=cohort_name)
    for number, person in enumerate(people):
        services.enroll(user=person, course=course)
        ActiveTime.objects.create(
            user=person, module=module, course=course, active_ms=(10 + number) * 60_000
        )
        if number % 2:
            continue
        for kind, value in (("pre", 2), ("post", 4)):
            attempt(
                user=person,
                quiz=survey,
                course=course,
                kind=kind,
                answers=[
                    {
                        "question_id": "belief-1",
                        "question_type": "agreement",
                        "question_text": "I believe every student can learn.",
                        "scale_value": value,
                    }
                ],
            )
        enrollment = completed_enrollment(course, user=person)
        issue_certificate(enrollment=enrollment, issued_by=None)
        follow_up = followups.schedule_follow_ups(enrollment=enrollment)[0]
        FollowUp.objects.filter(pk=follow_up.pk).update(
            due_on=timezone.localdate(), submitted_at=timezone.now(), answers=["Tried it."]
        )
        follow_up.refresh_from_db()
        # Written directly: the review rules (coach of an accepted invitation) are followups'.
        FollowUpReview.objects.create(follow_up=follow_up, coach=lead, rubric="adapted")
    return {"cohort": group, "module": module, "people": people}
