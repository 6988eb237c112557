from django.db import models
from wagtail.fields import StreamField
from wagtail.models import Page

from modules.blocks import ModuleBodyBlock


class BarePage(Page):
    """The floor: a Wagtail page with a module's body and nothing per user."""

    body = StreamField(ModuleBodyBlock(), blank=True)
    cached = models.BooleanField(default=False)

    subpage_types = []
