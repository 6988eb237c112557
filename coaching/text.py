"""Feedback and replies go through the project's one sanitiser before they are stored."""

try:
    # quizzes/sanitise.py is written on the quiz branch; the lead merges both branches.
    from quizzes.sanitise import clean_text
except ImportError:  # pragma: no cover - only until quizzes.sanitise lands
    from django.utils.html import escape

    # TODO(quizzes.sanitise.clean_text): until the shared sanitiser is merged, escaping is
    # the safe fallback (no links, but nothing a coach types can become markup).
    def clean_text(text: str) -> str:
        return str(escape(text))


__all__ = ["clean_text"]
