import pytest

from modules.models import CoursePage, ModulePage
from modules.starter_content import load_course, read_course_data
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(catalogue):
    data = read_course_data()
    course, changed = load_course(index=catalogue, data=data)
    assert changed
    return catalogue, data, course


def test_loading_the_starter_course_twice_changes_nothing(loaded):
    catalogue, data, course = loaded
    revisions = course.revisions.count()
    _course, changed = load_course(index=catalogue, data=data)
    assert not changed
    assert course.revisions.count() == revisions
    assert ModulePage.objects.child_of(course).count() == 6


def test_loading_again_keeps_an_editors_changes_unless_reset_is_asked_for(loaded):
    catalogue, data, course = loaded
    module = ModulePage.objects.child_of(course).order_by("path").first()
    module.title = "Edited by our PD team"
    module.save_revision().publish()

    load_course(index=catalogue, data=data)
    assert ModulePage.objects.get(pk=module.pk).title == "Edited by our PD team"

    load_course(index=catalogue, data=data, reset=True)
    assert ModulePage.objects.get(pk=module.pk).title == data.modules[0]["title"]


def test_every_research_note_cites_an_entry_of_the_course_reference_list(loaded):
    _catalogue, _data, course = loaded
    course = CoursePage.objects.get(pk=course.pk)
    keys = {block.value["key"] for block in course.references}
    for module in ModulePage.objects.child_of(course):
        cited = {b.value["reference"] for b in module.body if b.block_type == "research_note"}
        assert cited and cited <= keys, module.title


def test_the_starter_course_serves_every_module_to_an_enrolled_teacher(loaded, client):
    from modules import services

    _catalogue, _data, course = loaded
    teacher = factories.teacher()
    services.enroll(user=teacher, course=course)
    client.force_login(teacher)
    first = ModulePage.objects.child_of(course).order_by("path").first()
    response = client.get(first.url)
    assert response.status_code == 200
    assert "Research note" in response.text


def test_the_right_answer_is_not_always_in_the_same_place():
    """Teachers should have to read the choices: the correct one moves around."""
    for module in read_course_data().modules:
        positions = [
            [choice["correct"] for choice in question["choices"]].index(True)
            for question in module["quiz"]["questions"]
            if question["type"] == "multiple_choice"
        ]
        assert len(set(positions)) >= 2, (module["title"], positions)


def test_the_module_page_shows_where_the_hour_goes(loaded, client):
    from modules import services

    _catalogue, data, course = loaded
    teacher = factories.teacher()
    services.enroll(user=teacher, course=course)
    client.force_login(teacher)
    first = ModulePage.objects.child_of(course).order_by("path").first()
    text = client.get(first.url).text
    assert "How the 1 hour is spent" in text
    for activity in data.modules[0]["activities"]:
        assert activity["title"] in text
    assert "Artifact: your completed audit table for one upcoming unit." in text


def test_the_course_page_shows_each_modules_time_breakdown(loaded, client):
    _catalogue, data, course = loaded
    text = client.get(course.url).text
    assert text.count("Time breakdown") == 6
    assert "Practice task: upgrade one task" in text
    assert "Case study: Amir arrives in February" in text


def test_an_activity_plan_that_does_not_add_up_to_the_estimate_is_refused(loaded):
    from django.core.exceptions import ValidationError

    _catalogue, _data, course = loaded
    module = ModulePage.objects.child_of(course).order_by("path").first().specific
    assert module.activity_minutes == module.estimated_minutes == 60
    module.activity_plan = [
        {"type": "activity", "value": {"title": "Read", "minutes": 10, "detail": ""}}
    ]
    with pytest.raises(ValidationError) as raised:
        module.full_clean()
    assert "activity_plan" in raised.value.message_dict


def test_the_course_files_topics_become_the_courses_tags(loaded):
    _catalogue, data, course = loaded
    assert sorted(t.name for t in CoursePage.objects.get(pk=course.pk).tags.all()) == sorted(
        data.course["topics"]
    )


def test_loading_again_keeps_an_editors_topics_and_fills_in_missing_ones(loaded):
    catalogue, data, course = loaded
    course = CoursePage.objects.get(pk=course.pk)
    course.tags.set(["chosen by an editor"])
    course.save_revision().publish()
    _course, changed = load_course(index=catalogue, data=data)
    assert not changed
    assert [t.name for t in CoursePage.objects.get(pk=course.pk).tags.all()] == [
        "chosen by an editor"
    ]

    # A course loaded before topics existed (no tags at all) gets the file's topics.
    course = CoursePage.objects.get(pk=course.pk)
    course.tags.clear()
    course.save_revision().publish()
    _course, changed = load_course(index=catalogue, data=data)
    assert changed
    assert CoursePage.objects.get(pk=course.pk).tags.count() == len(data.course["topics"])
