"""Feedback and replies go through the project's one sanitiser before they are stored."""

from core.sanitise import clean_text

__all__ = ["clean_text"]
