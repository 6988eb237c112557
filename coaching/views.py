"""The coach's pages at /coach/ (the teacher's side is in teacher_views.py). Every view asks
coaching.permissions / coaching.selectors; anything else is a 404."""

from __future__ import annotations

import secrets
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import csv_export
from core.sanitise import to_plain_text
from followups import reviews as followup_reviews
from followups.forms import ReviewForm
from followups.models import FollowUp
from followups.selectors import (
    follow_ups_of_teacher,
    implementation_rate,
    module_evidence_of_teacher,
)
from followups.services import FollowUpError
from quizzes.models import Answer

from . import csv_import as coaching_csv_import
from . import feedback as coaching_feedback
from . import invitations as coaching_invitations
from . import matrix as coaching_matrix
from . import selectors, services
from .forms import (
    AddMemberForm,
    AssignCourseForm,
    CohortForm,
    CsvUploadForm,
    DeleteCohortForm,
    FeedbackForm,
)
from .models import Assignment, Feedback, Invitation
from .permissions import can_use_coaching, can_view_answer, can_view_teacher

CSV_SESSION_KEY = "coaching_csv_imports"
PROBLEMS_SHOWN = 20  # the rest are in the downloadable problems CSV
REFLECTIONS_PER_PAGE = 20
MATRIX_ROWS_PER_PAGE = 50


def coach_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_use_coaching(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _cohort_or_404(request, pk):
    return get_object_or_404(selectors.cohorts_for_coach(request.user), pk=pk)


def _assignment_or_404(cohort, pk):
    return get_object_or_404(Assignment.objects.select_related("course"), pk=pk, cohort=cohort)


# --- cohorts ------------------------------------------------------------------------------


@coach_required
def cohort_list(request):
    return render(
        request,
        "coaching/cohort_list.html",
        {
            "cohorts": selectors.cohort_summaries(request.user),
            "archived_count": selectors.cohort_summaries(request.user, archived=True).count(),
        },
    )


@coach_required
def archived_cohorts(request):
    return render(
        request,
        "coaching/cohort_list.html",
        {"cohorts": selectors.cohort_summaries(request.user, archived=True), "archived": True},
    )


@coach_required
def cohort_create(request):
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = services.create_cohort(coach=request.user, **form.cleaned_data)
        messages.success(request, _("Cohort created. Now add teachers."))
        return redirect("coaching:cohort_detail", pk=cohort.pk)
    return render(request, "coaching/cohort_form.html", {"form": form})


def _render_cohort(request, cohort, *, add_form=None, status=200):
    return render(
        request,
        "coaching/cohort_detail.html",
        {
            "cohort": cohort,
            "overview": coaching_matrix.cohort_overview(cohort=cohort),
            "open_invitations": selectors.open_invitations(cohort).count(),
            "implementation": implementation_rate(
                user_ids=cohort.memberships.values_list("user_id", flat=True)
            ),
            "add_form": add_form or AddMemberForm(),
        },
        status=status,
    )


@coach_required
def cohort_detail(request, pk):
    return _render_cohort(request, _cohort_or_404(request, pk))


@coach_required
def cohort_edit(request, pk):
    """Rename and re-describe a cohort."""
    cohort = _cohort_or_404(request, pk)
    initial = {"name": cohort.name, "program": cohort.program, "description": cohort.description}
    form = CohortForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_cohort(cohort=cohort, **form.cleaned_data)
        messages.success(request, _("Cohort details saved."))
        return redirect("coaching:cohort_detail", pk=cohort.pk)
    return render(
        request,
        "coaching/cohort_form.html",
        {"form": form, "cohort": cohort},
        status=400 if form.is_bound else 200,
    )


@coach_required
@require_POST
def cohort_archive(request, pk):
    cohort = services.archive_cohort(cohort=_cohort_or_404(request, pk))
    messages.success(
        request,
        _("“%(name)s” is archived: it has left your list and its reminders have stopped.")
        % {"name": cohort.name},
    )
    return redirect("coaching:cohort_detail", pk=cohort.pk)


@coach_required
@require_POST
def cohort_restore(request, pk):
    cohort = services.restore_cohort(cohort=_cohort_or_404(request, pk))
    messages.success(request, _("“%(name)s” is back in your list.") % {"name": cohort.name})
    return redirect("coaching:cohort_detail", pk=cohort.pk)


@coach_required
def cohort_delete(request, pk):
    """A page that says what goes and what stays; an empty cohort goes at once, one with
    teachers only after its name is typed."""
    cohort = _cohort_or_404(request, pk)
    form = DeleteCohortForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_cohort(cohort=cohort, confirm_name=form.cleaned_data["confirm_name"])
        except services.CoachingError as error:
            form.add_error("confirm_name", str(error))
        else:
            messages.success(request, _("“%(name)s” was deleted.") % {"name": cohort.name})
            return redirect("coaching:cohort_list")
    return render(
        request,
        "coaching/cohort_delete.html",
        {
            "cohort": cohort,
            "form": form,
            "needs_name": not services.may_delete_without_typing(cohort),
            "member_count": cohort.memberships.count(),
        },
        status=400 if form.errors else 200,
    )


@coach_required
@require_POST
def add_member(request, pk):
    cohort = _cohort_or_404(request, pk)
    form = AddMemberForm(request.POST)
    if form.is_valid():
        result = coaching_invitations.add_member(
            cohort=cohort,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            added_by=request.user,
        )
        messages.success(request, result.message)
        return redirect("coaching:cohort_detail", pk=cohort.pk)
    return _render_cohort(request, cohort, add_form=form, status=400)


@coach_required
@require_POST
def remove_member(request, pk, user_pk):
    cohort = _cohort_or_404(request, pk)
    user = get_object_or_404(selectors.cohort_members(cohort), pk=user_pk)
    services.remove_member(cohort=cohort, user=user)
    messages.success(
        request,
        _("%(name)s left the cohort. To add them again, invite them: they join when they accept.")
        % {"name": user.full_name or user.email},
    )
    return redirect("coaching:cohort_detail", pk=cohort.pk)


# --- invitations ----------------------------------------------------------------------------


@coach_required
def invitation_list(request, pk):
    cohort = _cohort_or_404(request, pk)
    return render(
        request,
        "coaching/invitation_list.html",
        {"cohort": cohort, "invitations": cohort.invitations.all()},
    )


def _invitation_or_404(request, pk):
    return get_object_or_404(
        Invitation.objects.select_related("cohort"),
        pk=pk,
        cohort__in=selectors.cohorts_for_coach(request.user),
    )


def _act_on_invitation(request, pk, action, success_message):
    """Resend and withdraw differ only in the service they call and what they say."""
    invitation = _invitation_or_404(request, pk)
    try:
        action(invitation=invitation, by=request.user)
        messages.success(request, success_message % {"email": invitation.email})
    except services.CoachingError as error:
        messages.error(request, str(error))
    return redirect("coaching:invitation_list", pk=invitation.cohort_id)


@coach_required
@require_POST
def resend_invitation(request, pk):
    return _act_on_invitation(
        request,
        pk,
        coaching_invitations.resend_invitation,
        _("Invitation sent again to %(email)s."),
    )


@coach_required
@require_POST
def withdraw_invitation(request, pk):
    return _act_on_invitation(
        request,
        pk,
        coaching_invitations.withdraw_invitation,
        _("Invitation to %(email)s withdrawn."),
    )


# --- CSV import ---------------------------------------------------------------------------


@coach_required
def import_csv(request, pk):
    """Step 1: upload and check. The checked rows stay in the session (never in the form)."""
    cohort = _cohort_or_404(request, pk)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # Read one byte past the limit at most: enough to report "over 5 MB".
        report = coaching_csv_import.parse_csv(
            form.cleaned_data["file"].read(coaching_csv_import.MAX_CSV_BYTES + 1)
        )
        token = secrets.token_urlsafe(16)
        imports = request.session.get(CSV_SESSION_KEY, {})
        imports = {key: value for key, value in imports.items() if value["cohort"] != cohort.pk}
        imports[token] = {
            "cohort": cohort.pk,
            "rows": [{"email": r.email, "full_name": r.full_name} for r in report.good_rows],
            "problems": [
                [r.line, r.email, r.full_name, " ".join(r.errors)] for r in report.bad_rows
            ],
        }
        request.session[CSV_SESSION_KEY] = imports
        return render(
            request,
            "coaching/import_report.html",
            {
                "cohort": cohort,
                "report": report,
                "token": token,
                "problems_shown": report.bad_rows[:PROBLEMS_SHOWN],
            },
        )
    return render(request, "coaching/import_form.html", {"cohort": cohort, "form": form})


@coach_required
def import_problems_csv(request, pk, token):
    """Every row with a problem, as a CSV the coach can fix in a spreadsheet and upload again."""
    cohort = _cohort_or_404(request, pk)
    pending = request.session.get(CSV_SESSION_KEY, {}).get(token)
    if pending is None or pending["cohort"] != cohort.pk:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}-problems.csv"'
    response.write("\ufeff")
    writer = csv_export.writer(response)
    writer.writerow([_("Line"), _("Email"), _("Full name"), _("Problem")])
    writer.writerows(pending.get("problems", []))
    return response


@coach_required
@require_POST
def import_confirm(request, pk, token):
    """Step 2: import the good rows, or nothing."""
    cohort = _cohort_or_404(request, pk)
    imports = request.session.get(CSV_SESSION_KEY, {})
    pending = imports.pop(token, None)
    request.session[CSV_SESSION_KEY] = imports
    if pending is None or pending["cohort"] != cohort.pk:
        messages.error(request, _("That upload has expired. Please upload the file again."))
        return redirect("coaching:import_csv", pk=cohort.pk)
    if request.POST.get("action") != "import" or not pending["rows"]:
        messages.info(request, _("Nothing was imported."))
        return redirect("coaching:cohort_detail", pk=cohort.pk)
    try:
        counts = coaching_csv_import.import_rows(
            cohort=cohort, rows=pending["rows"], added_by=request.user
        )
    except ValidationError:
        messages.error(request, _("Nothing was imported: the file changed. Upload it again."))
        return redirect("coaching:import_csv", pk=cohort.pk)
    total = sum(counts.values())
    messages.success(
        request,
        ngettext(
            "Imported %(n)d row: %(invited)d invited, %(same)d already there. Teachers join "
            "when they accept their invitation.",
            "Imported %(n)d rows: %(invited)d invited, %(same)d already there. Teachers join "
            "when they accept their invitation.",
            total,
        )
        % {
            "n": total,
            "invited": counts.get("invited", 0),
            "same": counts.get("already_member", 0) + counts.get("already_invited", 0),
        },
    )
    return redirect("coaching:cohort_detail", pk=cohort.pk)


# --- assignments and the progress matrix ------------------------------------------------------


@coach_required
def assign_course(request, pk):
    cohort = _cohort_or_404(request, pk)
    members = list(selectors.cohort_members(cohort))
    form = AssignCourseForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        teacher = form.cleaned_data["teacher"]
        try:
            assignment = services.assign_course(
                course=form.cleaned_data["course"],
                due_on=form.cleaned_data["due_on"],
                assigned_by=request.user,
                cohort=None if teacher else cohort,
                user=teacher,
            )
        except services.CoachingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(course)s assigned, due %(date)s.")
                % {
                    "course": assignment.course.title,
                    "date": date_format(assignment.due_on, "DATE_FORMAT"),
                },
            )
            if teacher is None:
                return redirect("coaching:matrix", pk=cohort.pk, assignment_pk=assignment.pk)
            return redirect("coaching:cohort_detail", pk=cohort.pk)
    return render(request, "coaching/assign_form.html", {"cohort": cohort, "form": form})


def _matrix(request, cohort, assignment, **paging):
    return coaching_matrix.progress_matrix(
        cohort=cohort,
        assignment=assignment,
        sort=request.GET.get("sort", "name"),
        show=request.GET.get("show", "all"),
        **paging,
    )


def _sort_links(matrix) -> dict:
    """For each sortable column: the query string of its header link and its aria-sort."""
    links = {}
    for key in ("name", "percent", "activity"):
        if matrix.sort == key:
            sort, aria = f"-{key}", "ascending"
        elif matrix.sort == f"-{key}":
            sort, aria = key, "descending"
        else:
            sort, aria = (key if key == "name" else f"-{key}"), None
        links[key] = {"query": urlencode({"sort": sort, "show": matrix.show}), "aria": aria}
    return links


@coach_required
def matrix(request, pk, assignment_pk):
    cohort = _cohort_or_404(request, pk)
    assignment = _assignment_or_404(cohort, assignment_pk)
    # Sorting and filtering cover the whole cohort; the page shows one screenful of it.
    data = _matrix(
        request,
        cohort,
        assignment,
        page_number=request.GET.get("page"),
        per_page=MATRIX_ROWS_PER_PAGE,
    )
    return render(
        request,
        "coaching/matrix.html",
        {
            "cohort": cohort,
            "matrix": data,
            "page": data.page,
            "page_query": urlencode({"sort": data.sort, "show": data.show}),
            "sorts": _sort_links(data),
            "filters": [
                ("all", _("Everyone")),
                ("overdue", _("Overdue")),
                ("not_started", _("Not started")),
            ],
        },
    )


@coach_required
@never_cache
def matrix_csv(request, pk, assignment_pk):
    cohort = _cohort_or_404(request, pk)
    assignment = _assignment_or_404(cohort, assignment_pk)
    data = _matrix(request, cohort, assignment)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cohort-{cohort.pk}-{assignment.course.slug}.csv"'
    )
    response.write("\ufeff")  # spreadsheets then read the file as UTF-8
    writer = csv_export.writer(response)  # every cell: names, emails, module titles
    header = [_("Name"), _("Email")] + [module.title for module in data.modules]
    header += [_("Percent"), _("Last activity"), _("Due date"), _("Overdue")]
    if data.course.self_assessment_id:
        header.append(_("Self-assessment change"))
    header += [_("Follow-ups submitted"), _("Follow-ups due"), _("Latest follow-up review")]
    writer.writerow(header)
    for row in data.rows:
        line = [row.user.full_name, row.user.email]
        line += [cell.label for cell in row.cells]
        line += [
            row.percent,
            timezone.localtime(row.last_activity).strftime("%Y-%m-%d %H:%M")
            if row.last_activity
            else "",
            row.due_on.isoformat() if row.due_on else "",
            _("yes") if row.overdue else _("no"),
        ]
        if data.course.self_assessment_id:
            line.append("" if row.self_assessment_change is None else row.self_assessment_change)
        follow_ups = row.follow_ups
        line += (
            [f"{follow_ups.submitted}/{follow_ups.total}", follow_ups.due, follow_ups.rubric_label]
            if follow_ups
            else ["", "", ""]
        )
        writer.writerow(line)
    return response


# --- reflections and feedback -------------------------------------------------------------


@coach_required
@never_cache
def teacher_reflections(request, user_pk):
    teacher = get_object_or_404(selectors.teachers_for_coach(request.user), pk=user_pk)
    return _render_teacher_reflections(request, teacher)


def _render_teacher_reflections(request, teacher, *, status=200, **extra):
    """One page of the teacher's reflections (`?page=`), each with its feedback and a form."""
    page = Paginator(
        selectors.reflection_answers_for_coach(request.user, teacher), REFLECTIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    answers = list(page.object_list)
    context = {
        "teacher": teacher,
        "answers": answers,
        "page": page,
        "feedback_by_answer": selectors.feedback_for_answers([a.pk for a in answers]),
        "form": FeedbackForm(),
        "follow_ups": follow_ups_of_teacher(teacher=teacher),
        "module_evidence": module_evidence_of_teacher(teacher=teacher),
        "review_form": ReviewForm(),
        **extra,
    }
    return render(request, "coaching/teacher_reflections.html", context, status=status)


@coach_required
@require_POST
def leave_feedback(request, answer_pk):
    answer = get_object_or_404(Answer.objects.select_related("attempt__user"), pk=answer_pk)
    teacher = answer.attempt.user
    if not can_view_teacher(request.user, teacher) or not can_view_answer(request.user, answer):
        raise Http404
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            coaching_feedback.leave_feedback(coach=request.user, answer=answer, **form.cleaned_data)
        except services.CoachingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Feedback sent."))
        # Back to the page the coach was reading (the form's action carries ?page=).
        page = urlencode({"page": request.GET.get("page") or 1})
        return redirect(
            reverse("coaching:teacher_reflections", args=[teacher.pk])
            + f"?{page}#answer-{answer.pk}"
        )
    return _render_teacher_reflections(
        request, teacher, status=400, failed_form=form, failed_answer=answer.pk
    )


@coach_required
@require_POST
def review_follow_up(request, pk):
    """The coach marks a submitted follow-up on the rubric, with optional feedback."""
    follow_up = FollowUp.objects.select_related("user", "course").filter(pk=pk).first()
    if follow_up is None or not can_view_teacher(request.user, follow_up.user):
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            followup_reviews.review_follow_up(
                coach=request.user, follow_up=follow_up, **form.cleaned_data
            )
        except FollowUpError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Review sent to the teacher."))
        return redirect(
            reverse("coaching:teacher_reflections", args=[follow_up.user_id])
            + f"#follow-up-{follow_up.pk}"
        )
    return _render_teacher_reflections(
        request,
        follow_up.user,
        status=400,
        failed_review_form=form,
        failed_follow_up=follow_up.pk,
    )


def _own_feedback_or_404(request, pk) -> Feedback:
    """Feedback this coach wrote on an answer they may still see; anything else is a 404."""
    feedback = get_object_or_404(
        Feedback.objects.select_related("answer__attempt__user"), pk=pk, coach=request.user
    )
    if not can_view_answer(request.user, feedback.answer):
        raise Http404
    return feedback


def _back_to_answer(feedback: Feedback, page=None):
    query = urlencode({"page": page or 1})
    return redirect(
        reverse("coaching:teacher_reflections", args=[feedback.answer.attempt.user_id])
        + f"?{query}#answer-{feedback.answer_id}"
    )


@coach_required
def edit_feedback(request, pk):
    feedback = _own_feedback_or_404(request, pk)
    initial = {"kind": feedback.kind, "body": to_plain_text(feedback.body)}
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            coaching_feedback.edit_feedback(
                coach=request.user, feedback=feedback, **form.cleaned_data
            )
        except services.CoachingError as error:
            form.add_error("body", str(error))
        else:
            messages.success(request, _("Feedback updated. The teacher sees it marked edited."))
            return _back_to_answer(feedback, request.GET.get("page"))
    return render(
        request,
        "coaching/feedback_form.html",
        {"feedback": feedback, "form": form, "page": request.GET.get("page") or 1},
        status=400 if form.errors else 200,
    )


@coach_required
@require_POST
def delete_feedback(request, pk):
    feedback = _own_feedback_or_404(request, pk)
    coaching_feedback.delete_feedback(coach=request.user, feedback=feedback)
    messages.success(request, _("Feedback deleted."))
    return _back_to_answer(feedback, request.GET.get("page"))
