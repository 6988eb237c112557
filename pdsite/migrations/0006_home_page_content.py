"""Fill the home page's new sections on an existing site: feature its published courses
(up to three, in tree order) and carry the new fields into the page's latest revision, so the
editor opens what visitors see. A site without a home page gets one from seed_demo."""

import json

from django.db import migrations

OLD_INTRO_START = "<p>Short, practical online modules"
INTRO = (
    "<p>Short, practical online courses for preservice and in-service teachers: equity, "
    "culturally relevant teaching, high expectations and working with families. Work at "
    "your own pace, reflect on your own classroom, and earn PD credit hours with a "
    "certificate anyone can check.</p>"
)
NEW_FIELDS = ("intro", "featured_courses", "credit_heading", "credit_body", "verify_heading",
              "verify_body")


def fill_home_page(apps, schema_editor):
    HomePage = apps.get_model("pdsite", "HomePage")
    CoursePage = apps.get_model("modules", "CoursePage")
    for home in HomePage.objects.all():
        if not home.featured_courses.raw_data:
            courses = CoursePage.objects.filter(
                path__startswith=home.path, live=True
            ).order_by("path")[:3]
            home.featured_courses = [{"type": "course", "value": c.pk} for c in courses]
        if not home.intro or home.intro.startswith(OLD_INTRO_START):
            home.intro = INTRO
        home.save()
        revision = home.latest_revision
        if revision is not None:
            content = revision.content
            if isinstance(content, str):
                content = json.loads(content)
            content["intro"] = home.intro
            content["featured_courses"] = json.dumps(list(home.featured_courses.raw_data))
            for name in NEW_FIELDS[2:]:
                content[name] = getattr(home, name)
            revision.content = content
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("pdsite", "0005_home_page_sections"),
        ("modules", "0004_coursepage_self_assessment_modulepage_quiz"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(fill_home_page, migrations.RunPython.noop)]
