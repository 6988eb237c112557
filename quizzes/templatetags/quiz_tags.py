"""Formatting for quiz parts of pages. These tags do not query: the module's quiz and the
course's self-assessment are gathered by quizzes/wagtail_hooks.py for the page views."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def self_assessment_url(course, kind):
    return reverse("quizzes:self_assessment", args=[course.slug, kind])
