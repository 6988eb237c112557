import pytest

from modules import services as progress_services
from tests import factories
from tests.factories import modules_of


@pytest.fixture
def quiz():
    return factories.quiz(pass_mark=100)


@pytest.fixture
def module(course, quiz, teacher):
    module = factories.attach_quiz(modules_of(course)[0], quiz)
    progress_services.enroll(user=teacher, course=course)
    return module
