"""`{% load sanitise %}` then `{{ answer.text|render_text }}`: stored user text shown safely."""

from django import template

from core import sanitise

register = template.Library()


@register.filter
def render_text(value):
    """Text stored by sanitise.clean_text, re-checked against the allow-list, line breaks kept."""
    return sanitise.render_text(value)


@register.filter
def plain_text(value):
    """What the user typed, without links: autoescaped in HTML templates as usual, exactly as
    typed in plain-text emails ({% autoescape off %}), where |striptags would leave &lt;."""
    return sanitise.to_plain_text(value)
