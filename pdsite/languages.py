"""The interface language of a request: a signed-in person's saved choice (core.languages)
wins; everyone else gets Django's LocaleMiddleware answer (the language cookie, then the
browser's Accept-Language). The header's switcher posts to `set_language`."""

from django.conf import settings
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from core.languages import remember_choice, supported


class UserLanguageMiddleware:
    """After AuthenticationMiddleware. Activates the signed-in person's saved language, and
    keeps the cookie in step so the choice outlives signing out on this browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        code = supported(user.language) if user is not None and user.is_authenticated else None
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if code and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != code:
            set_language_cookie(response, code)
        return response


def set_language_cookie(response, code):
    # The same cookie, with the same settings, that Django's set_language view writes.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_POST
def set_language(request):
    """Django's view (it checks the language and the `next` address and sets the cookie),
    and for a signed-in person the choice saved on their account."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        remember_choice(user=request.user, language=request.POST.get("language"))
    return response
