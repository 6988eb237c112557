from wagtail import hooks

from certificates.services import CREDIT_WAITS_FOR_HOOK

from .selectors import credit_wait_reasons


@hooks.register(CREDIT_WAITS_FOR_HOOK)
def first_follow_up_for_credit(*, enrollment) -> list[str]:
    """Certificates ask before requesting credit: with "credit requires the first
    follow-up" on, the certificate waits for it."""
    return credit_wait_reasons(enrollment=enrollment)
