"""A teacher's /reflections/ page, kept rendered under a version per teacher
(docs/performance.md, "Cached state"; core.cache_versions).

The page shows the teacher's attempts and answers (quizzes), the coaches' feedback on them
with each coach's name and the teacher's replies (coaching), and the courses' and modules'
titles and quiz wording (content). Every write to one of those bumps a version the entry is
kept under:

- the teacher's reflections version, bumped by `reflections_changed`: receivers on Attempt,
  Answer and Enrollment (quizzes.receivers), on Feedback, FeedbackReply and a coach's name
  or account (coaching.receivers);
- the content version (core.content_version): any publish, page save or quiz edit.
"""

from __future__ import annotations

from collections.abc import Callable

from core.cache_versions import bump_versions, versioned
from core.content_version import CONTENT_VERSION_KEY


def reflections_version_key(user_id: int) -> str:
    return f"quizzes:reflections-version:{user_id}"


def reflections_changed(*user_ids: int | None) -> None:
    """Any write that shows on these teachers' /reflections/ calls this: the next view
    rebuilds it."""
    bump_versions(*(reflections_version_key(pk) for pk in set(user_ids) if pk is not None))


def cached_reflections(*, user, variant: str, build: Callable[[], str]) -> str:
    """The page's body as `build` renders it, kept per teacher and `variant` (the page of
    the history, the language and whatever else the markup depends on)."""
    return versioned(
        f"quizzes:reflections:{user.pk}:{variant}",
        [reflections_version_key(user.pk), CONTENT_VERSION_KEY],
        build,
    )
