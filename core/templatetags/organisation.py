"""`{% load organisation %}{% organisation_name as name %}`: the name from the one
organisation setting (core.models.Organisation), for the request's site."""

from django import template

from core.models import organisation_name as _organisation_name

register = template.Library()


@register.simple_tag(takes_context=True)
def organisation_name(context):
    return _organisation_name(context.get("request"))
