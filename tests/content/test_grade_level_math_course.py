"""The short course in content/grade_level_math/ passes the same editorial checks as the
starter course (content/course_checks.py) and shares no 8-word run with the seed articles.

No Django needed:

    python3 -m pytest tests/content -q -p no:django -p no:cacheprovider --noconftest
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.content.test_starter_course_checks import checks, course_files, uncited_references
from tests.content.test_starter_course_copy import (
    SEED_SHINGLES,
    _course_texts,
    _module_texts,
    shingles,
)

COURSE_DIR = Path(__file__).resolve().parents[2] / "content" / "grade_level_math"


@pytest.fixture(scope="module")
def course() -> dict:
    return course_files(COURSE_DIR)[0]


@pytest.fixture(scope="module")
def modules() -> list[tuple[str, dict]]:
    return course_files(COURSE_DIR)[1]


def test_the_short_course_passes_every_editorial_check(course, modules):
    problems = checks.all_problems(course, modules)
    assert not problems, "\n".join(problems)


def test_every_reference_is_cited_in_some_module(course, modules):
    assert uncited_references(course, modules) == []


def test_no_eight_word_run_matches_the_seeds(course, modules):
    seed_hashes = set(SEED_SHINGLES.read_text(encoding="utf-8").split())
    texts = [("course.toml", label, text) for label, text in _course_texts(course)]
    for name, module in modules:
        texts += [(name, label, text) for label, text in _module_texts(module)]
    copied = [
        f"{name} {label}: {' '.join(words)}"
        for name, label, text in texts
        for digest, words in shingles.text_shingle_hashes(text).items()
        if digest in seed_hashes
    ]
    assert not copied, "\n".join(copied)


def test_it_is_short_tagged_and_each_module_has_a_quiz(course, modules):
    assert course["credit_hours"] <= 2
    assert (
        sum(module["estimated_minutes"] for _name, module in modules)
        == (course["estimated_minutes"])
    )
    assert len(modules) == 2
    assert course["topics"]
    assert all(module["quiz"]["questions"] for _name, module in modules)
