"""Where apps above modules add to the course and module pages.

Quizzes sit above modules (core -> modules -> quizzes): the module's quiz and the course's
self-assessment reach these pages through two Wagtail hooks instead of an upward import.
Each hook takes the request and the page's context so far, reads what it needs (the views
gather data; templates only format) and returns more context.
"""

from wagtail import hooks

COURSE_PAGE_CONTEXT_HOOK = "modules_course_page_context"
MODULE_PAGE_CONTEXT_HOOK = "modules_module_page_context"


def extend_context(hook_name: str, request, context: dict) -> dict:
    for extend in hooks.get_hooks(hook_name):
        context.update(extend(request, context))
    return context
