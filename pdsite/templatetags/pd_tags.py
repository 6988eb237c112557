from django import template
from django.utils.translation import ngettext

from modules import seat_time

register = template.Library()


@register.filter
def duration(minutes) -> str:
    """360 -> "6 hours"; 75 -> "1 hour 15 minutes"; 20 -> "20 minutes"."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if rest or not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", rest) % {"n": rest})
    return " ".join(parts)


@register.filter
def active_minutes(seconds) -> str:
    """Active time as the teacher reads it: "about 12 minutes" (modules.seat_time)."""
    return seat_time.about_minutes(int(seconds or 0))


@register.filter
def minutes_left(seconds) -> str:
    return seat_time.minutes_left(int(seconds or 0))
