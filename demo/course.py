"""The site tree: home page at the site root, the course catalogue, the starter course and
the short grade-level math course."""

from __future__ import annotations

from wagtail.models import Page, Site

from modules.models import CourseIndexPage, CoursePage
from modules.starter_content import GRADE_LEVEL_MATH_DIR, load_course, read_course_data
from pdsite.models import HomePage

HOME_INTRO = (
    "<p>Short, practical online courses for preservice and in-service teachers: equity, "
    "culturally relevant teaching, high expectations and working with families. Work at "
    "your own pace, reflect on your own classroom, and earn PD credit hours with a "
    "certificate anyone can check.</p>"
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
            # Two demo courses: show the search and filters so a visitor can try them.
            filters_from=2,
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def ensure_starter_course(*, reset: bool = False) -> CoursePage:
    """The starter course from content/starter_course/ (`reset` overwrites editors' edits)."""
    index = ensure_catalogue(ensure_home_page())
    course, _changed = load_course(index=index, data=read_course_data(), reset=reset)
    feature_course(course)
    return course


def ensure_grade_level_math_course(*, reset: bool = False) -> CoursePage:
    """The short course from content/grade_level_math/: one hour, two modules, its own
    topics, so the catalogue's filters have a second course to tell apart."""
    index = ensure_catalogue(ensure_home_page())
    course, _changed = load_course(
        index=index, data=read_course_data(GRADE_LEVEL_MATH_DIR), reset=reset
    )
    return course


def feature_course(course: CoursePage) -> None:
    """Put a course among the home page's featured courses (once; editors' choices stay)."""
    home = HomePage.objects.first()
    if home is None or any(b.value and b.value.pk == course.pk for b in home.featured_courses):
        return
    home.featured_courses.append(("course", course))
    home.save_revision().publish()
