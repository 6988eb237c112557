import datetime

import pytest

from coaching import feedback as coaching_feedback
from coaching import services as coaching
from tests import factories

REFLECTION = '=HYPERLINK("http://evil.example") My questions went to the same students.'


@pytest.fixture
def history(course):
    """A teacher with a bit of everything: a course done, a reflection with coach feedback
    and her reply, a certificate, a cohort."""
    tess = factories.teacher(full_name="Tess Teacher", email="tess@example.org")
    ana = factories.coach(full_name="Ana Coach")
    cohort = coaching.create_cohort(coach=ana, name="Cohort A")
    assignment = coaching.assign_course(
        cohort=cohort, course=course, due_on=datetime.date.today(), assigned_by=ana
    )
    factories.invited_and_accepted(cohort=cohort, coach=ana, teacher=tess)
    module = course.get_children().first().specific
    answer = factories.reflection(user=tess, module=module, text=REFLECTION)
    feedback = coaching_feedback.leave_feedback(
        coach=ana, answer=answer, kind="strength", body="Lovely noticing."
    )
    coaching_feedback.reply_to_feedback(author=tess, feedback=feedback, body="Thank you!")
    certificate = factories.certificate(course, user=tess)
    return {
        "tess": tess,
        "ana": ana,
        "cohort": cohort,
        "assignment": assignment,
        "answer": answer,
        "certificate": certificate,
        "course": course,
    }
