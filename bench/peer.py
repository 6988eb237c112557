"""The closest peer in the same run: a wagtail-lms 0.11.1 lesson with our module's body.

wagtail-lms's lesson page (H5PLessonPage) is a plain Wagtail page plus an enrolment check
in its course. Its body takes rich text and H5P activities only, so each of our blocks
becomes one rich-text paragraph with the same words and the same internal links (the
research note's and practice block's titles as headings). The `bench` extra installs it;
without it the peer row is left out and the bare-page floors remain.
"""

from __future__ import annotations

from django.apps import apps


def available() -> bool:
    return apps.is_installed("wagtail_lms")


def _as_rich_text(block: dict) -> str:
    value = block["value"]
    if block["type"] == "rich_text":
        return value
    if block["type"] == "research_note":
        return f"<h3>{value['title']}</h3>{value['body']}<p>{value['citation']}</p>"
    if block["type"] == "practice":
        return f"<h3>{value['title']}</h3><p>{value['grade_band']}</p>{value['body']}"
    raise ValueError(f"no rich-text form for a {block['type']} block")


def build(*, home, body_raw: list[dict], learner):
    """A wagtail-lms course with one lesson below `home`, the learner enrolled. Returns the
    lesson page."""
    from wagtail_lms.models import CourseEnrollment, CoursePage, H5PLessonPage

    course = home.add_child(instance=CoursePage(title="Peer course", slug="peer-course"))
    lesson = course.add_child(
        instance=H5PLessonPage(
            title="Peer lesson",
            slug="peer-lesson",
            body=[{"type": "paragraph", "value": _as_rich_text(b)} for b in body_raw],
        )
    )
    CourseEnrollment.objects.create(user=learner, course=course)
    return lesson
