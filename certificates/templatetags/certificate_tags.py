from django import template

from certificates import selectors

register = template.Library()


@register.simple_tag
def dashboard_certificates(user):
    """The dashboard include's data (one query), so the shared dashboard view stays as it is.
    Waiting and declined credit are on /transcript/ (and declines are emailed)."""
    return list(selectors.certificates_for_user(user=user))
