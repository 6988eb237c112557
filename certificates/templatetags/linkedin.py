"""`{% linkedin_fields certificate as linkedin %}`: LinkedIn's add-to-profile link and its
fields (certificates.linkedin) with the organisation's name for the request (cached on it,
so a list of certificates costs no extra query)."""

from django import template

from core.models import organisation_name

from ..linkedin import profile_fields

register = template.Library()


@register.simple_tag(takes_context=True)
def linkedin_fields(context, certificate):
    return profile_fields(certificate, organisation_name(context.get("request")))
