"""The course catalogue at /courses/: which courses show, the filters over them, and search.

CourseIndexPage.get_context reads `catalogue()`; the rules for the hour ranges, the
threshold above which filters appear, and how search combines with filters live here.

Credit types live in certificates, a layer above modules: the course only holds the
type's id (`credit_type_id`), and the names come in through the `modules_catalogue_credit_types`
hook (certificates/wagtail_hooks.py), as docs/architecture.md describes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail import hooks

from .models import CoursePage, CoursePageTag

COURSES_PER_PAGE = 12
MAX_QUERY_LENGTH = 200

CREDIT_TYPES_HOOK = "modules_catalogue_credit_types"


@dataclass(frozen=True)
class HoursRange:
    value: str
    label: str
    above: Decimal | None  # more than this many hours
    up_to: Decimal | None  # at most this many hours

    def q(self) -> Q:
        q = Q()
        if self.above is not None:
            q &= Q(credit_hours__gt=self.above)
        if self.up_to is not None:
            q &= Q(credit_hours__lte=self.up_to)
        return q


HOURS_RANGES = (
    HoursRange("up-to-2", _("Up to 2 hours"), None, Decimal(2)),
    HoursRange("2-to-5", _("More than 2, up to 5 hours"), Decimal(2), Decimal(5)),
    HoursRange("over-5", _("More than 5 hours"), Decimal(5), None),
)
HOURS_BY_VALUE = {r.value: r for r in HOURS_RANGES}


def credit_type_names(ids) -> dict[int, str]:
    """{credit type id: name} for these ids, from the apps that own credit types."""
    ids = {i for i in ids if i is not None}
    names: dict[int, str] = {}
    if ids:
        for provide in hooks.get_hooks(CREDIT_TYPES_HOOK):
            names.update(provide(ids))
    return names


class CatalogueForm(forms.Form):
    """The GET form above the course list. Choices come from the live courses, so an
    unknown topic or credit type is an invalid choice (shown, then ignored), never a 500."""

    q = forms.CharField(
        label=_("Search titles and summaries"), required=False, max_length=MAX_QUERY_LENGTH
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    hours = forms.ChoiceField(
        label=_("Credit hours"),
        required=False,
        choices=[("", _("Any length"))] + [(r.value, r.label) for r in HOURS_RANGES],
    )
    credit_type = forms.TypedChoiceField(
        label=_("Credit type"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data, *, topics: list[Tag], credit_types: dict[int, str]):
        super().__init__(data)
        self.fields["q"].widget.input_type = "search"
        self.fields["topic"].choices = [("", _("All topics"))] + [(t.slug, t.name) for t in topics]
        self.fields["credit_type"].choices = [("", _("Any credit type"))] + sorted(
            credit_types.items(), key=lambda item: item[1].lower()
        )

    def clean_q(self) -> str:
        # Search the words only: a stray quote or bracket is query syntax to SQLite's FTS5
        # and raised an error there ("unterminated string").
        return " ".join(re.findall(r"\w+", self.cleaned_data["q"]))

    def filters(self) -> dict:
        """The valid, non-empty filters; a field with bad input is left out."""
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value not in ("", None)
        }


@dataclass
class CatalogueEntry:
    course: CoursePage
    credit_type_name: str | None
    topics: list[Tag]


@dataclass
class Catalogue:
    entries: list[CatalogueEntry]
    page: PaginatorPage | None
    form: CatalogueForm | None
    filtered: bool = False
    total: int = 0
    # The valid filters as a query string, for the pages' links (shareable URLs).
    query_string: str = ""


def live_courses(index) -> QuerySet[CoursePage]:
    # The cards show no StreamField; loading and parsing them took about a third of the
    # page's time with six courses.
    return CoursePage.objects.child_of(index).live().defer("objectives", "references", "follow_ups")


def filter_courses(courses: QuerySet[CoursePage], filters: dict):
    """Narrow the courses by topic, hour range and credit type, then search what is left.
    Returns a queryset, or Wagtail search results in catalogue order when searching."""
    if "topic" in filters:
        tagged = CoursePageTag.objects.filter(tag__slug=filters["topic"]).values("content_object")
        courses = courses.filter(id__in=tagged)
    if "hours" in filters:
        courses = courses.filter(HOURS_BY_VALUE[filters["hours"]].q())
    if "credit_type" in filters:
        courses = courses.filter(credit_type=filters["credit_type"])
    courses = courses.order_by("path")
    if "q" in filters:
        # Catalogue order rather than relevance: a short list reads best in a stable order.
        return courses.search(filters["q"], order_by_relevance=False)
    return courses


def catalogue(index, params) -> Catalogue:
    """What the catalogue page shows for these GET parameters. Its query count stays the
    same however many courses there are."""
    courses = live_courses(index)
    facts = list(courses.values_list("pk", "credit_type_id"))
    names = credit_type_names(credit_type for _pk, credit_type in facts)
    if len(facts) < index.filters_from:  # an editor's setting on the catalogue page
        results, form, filters = courses.order_by("path"), None, {}
    else:
        topics = list(
            Tag.objects.filter(modules_coursepagetag_items__content_object__in=courses)
            .distinct()
            .order_by("name")
        )
        form = CatalogueForm(params, topics=topics, credit_types=names)
        filters = form.filters()
        results = filter_courses(courses, filters)
    page = Paginator(results, COURSES_PER_PAGE).get_page(params.get("page"))
    page_courses = list(page.object_list)
    tags_by_course: dict[int, list[Tag]] = {course.pk: [] for course in page_courses}
    for item in CoursePageTag.objects.filter(content_object__in=page_courses).select_related("tag"):
        tags_by_course[item.content_object_id].append(item.tag)
    entries = [
        CatalogueEntry(
            course=course,
            credit_type_name=names.get(course.credit_type_id),
            topics=sorted(tags_by_course[course.pk], key=lambda tag: tag.name.lower()),
        )
        for course in page_courses
    ]
    return Catalogue(
        entries=entries,
        page=page if page.paginator.num_pages > 1 else None,
        form=form,
        filtered=bool(filters),
        total=page.paginator.count,
        query_string=urlencode(
            [(name, form.data[name]) for name in filters] if form is not None else []
        ),
    )
