"""The blocks an editor builds a module from. Each renders with templates/blocks/<name>.html."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("note", _("Note")), ("important", _("Important"))],
        default="note",
        help_text=_("Shown as a word beside the title, not only as a colour."),
    )
    title = blocks.CharBlock(max_length=120)
    body = blocks.RichTextBlock(features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        template = "blocks/callout.html"
        description = _("A boxed aside: a tip, a note or something important.")


class ResearchNoteBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    body = blocks.RichTextBlock(features=SHORT_RICH_TEXT_FEATURES)
    citation = blocks.CharBlock(
        max_length=200, help_text=_("The in-text citation as printed, e.g. 'Flores (2007)'.")
    )
    reference = blocks.CharBlock(
        max_length=40,
        required=False,
        help_text=_("Key of the matching entry in the course's reference list, e.g. 'flores2007'."),
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/research_note.html"
        description = _("What a study found, in plain words, with its citation.")


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    video = EmbedBlock(help_text=_("A YouTube or Vimeo address."))
    transcript = blocks.RichTextBlock(
        features=SHORT_RICH_TEXT_FEATURES,
        help_text=_("Required: teachers who cannot play sound read this instead."),
    )

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        description = _("An embedded video with its full transcript.")


class PracticeBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    grade_band = blocks.CharBlock(max_length=40, required=False, help_text=_("e.g. K-5, 6-12."))
    body = blocks.RichTextBlock(features=SHORT_RICH_TEXT_FEATURES)
    ask_for_evidence = blocks.BooleanBlock(
        required=False,
        default=False,
        label=_("Ask for evidence"),
        help_text=_(
            "Teachers can upload evidence of trying it: a photo of student work, a lesson plan "
            "or a family-contact log (PDF, PNG, JPEG or DOCX, at most 10 MB)."
        ),
    )

    class Meta:
        icon = "pick"
        template = "blocks/practice.html"
        description = _("A classroom practice teachers can try this week.")


def practice_asks_for_evidence(body) -> bool:
    """A module asks for evidence when one of its practice tasks does (ModulePage keeps the
    answer in a column on save, so serving the page never reads the body for it)."""
    return any(
        block.block_type == "practice" and block.value.get("ask_for_evidence") for block in body
    )


class ModuleBodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="blocks/rich_text.html")
    callout = CalloutBlock()
    research_note = ResearchNoteBlock()
    video = VideoBlock()
    practice = PracticeBlock()


class ActivityBlock(blocks.StructBlock):
    """One step of a module's activity plan: what the teacher does and for how long."""

    title = blocks.CharBlock(max_length=120)
    minutes = blocks.IntegerBlock(min_value=1, max_value=600)
    detail = blocks.CharBlock(
        max_length=300,
        required=False,
        help_text=_('What the teacher produces, e.g. "Artifact: your completed audit table".'),
    )

    class Meta:
        icon = "time"


class ActivityPlanBlock(blocks.StreamBlock):
    activity = ActivityBlock()


class ReferenceBlock(blocks.StructBlock):
    key = blocks.CharBlock(max_length=40, help_text=_("Short id research notes refer to."))
    text = blocks.TextBlock(help_text=_("The full reference."))
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "list-ul"
        template = "blocks/reference.html"


class FollowUpBlock(blocks.StructBlock):
    """One follow-up a teacher is asked to answer some days after completing the course.
    The prompts are copied onto each teacher's follow-up when it is scheduled, so editing
    them later never changes what a teacher already answered."""

    days_after = blocks.IntegerBlock(
        min_value=1,
        max_value=365,
        default=14,
        help_text=_("Days after the teacher completes the course."),
    )
    prompts = blocks.ListBlock(
        blocks.CharBlock(max_length=300),
        min_num=1,
        max_num=6,
        help_text=_("Questions the teacher answers, one per line."),
    )
    evidence = blocks.ChoiceBlock(
        choices=[
            ("none", _("No file")),
            ("optional", _("A file may be added")),
            ("required", _("A file is required")),
        ],
        default="optional",
        help_text=_(
            "Evidence of practice: a photo of student work, a lesson plan or a family-contact "
            "log (PDF, PNG, JPEG or DOCX, at most 10 MB)."
        ),
    )

    class Meta:
        icon = "date"
        description = _("A follow-up after completion: when it falls due and what it asks.")


DEFAULT_FOLLOW_UP_PROMPTS = [
    "What did you try in your classroom?",
    "What happened with your students?",
    "What will you change next time?",
]


def default_follow_ups() -> list[dict]:
    """Two weeks and six weeks after completion: soon enough to remember the course, long
    enough to have tried something twice."""
    return [
        {
            "type": "follow_up",
            "value": {
                "days_after": days,
                "prompts": DEFAULT_FOLLOW_UP_PROMPTS,
                "evidence": "optional",
            },
        }
        for days in (14, 42)
    ]
