"""The editorial checks in content/course_checks.py: the shipped starter course passes
every one, and a deliberately bad module fails every one (so the checks can fail).

No Django needed:

    python3 -m pytest tests/content -q -p no:django -p no:cacheprovider --noconftest
"""

from __future__ import annotations

import copy
import importlib.util
import tomllib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
COURSE_DIR = REPO_ROOT / "content" / "starter_course"


def _load_checks():
    # By file path, for the same reason as in test_starter_course_copy.py: tests/content
    # would shadow the top-level content package.
    spec = importlib.util.spec_from_file_location(
        "starter_course_checks", REPO_ROOT / "content" / "course_checks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


checks = _load_checks()


def _load(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def course_files(directory: Path) -> tuple[dict, list[tuple[str, dict]]]:
    """A course kept as data files: course.toml and its (file name, module) pairs in order."""
    paths = sorted(directory.glob("module-*.toml"), key=lambda p: int(p.stem.split("-")[1]))
    return _load(directory / "course.toml"), [(path.name, _load(path)) for path in paths]


@pytest.fixture(scope="module")
def course() -> dict:
    return course_files(COURSE_DIR)[0]


@pytest.fixture(scope="module")
def modules() -> list[tuple[str, dict]]:
    return course_files(COURSE_DIR)[1]


def _bad_module(good: dict) -> dict:
    """Module 1 with one of each fault the checks exist to catch."""
    bad = copy.deepcopy(good)
    for question in bad["quiz"]["questions"]:
        if question["type"] == "multiple_choice":
            for choice in question["choices"]:
                if choice["correct"]:
                    choice["text"] += (
                        " This is the right answer, and it is also by far the longest."
                    )
    bad["body"] = [
        {
            "type": "rich_text",
            "html": "<h2>Causes</h2><p>Our programme looks at behaviour, as the source article "
            "explains, and at what Smith (2010) found.</p>",
        }
    ]
    bad["activities"] = [{"title": "Reading", "minutes": 20, "detail": "Read."}]
    for question in bad["quiz"]["questions"]:
        if question["type"] == "reflection":
            question["prompt"] = "Describe a student you find hard to reach."
            question["guidance"] = ""
    return bad


# ------------------------------------------------------------------ the shipped course


def test_the_starter_course_passes_every_editorial_check(course, modules):
    problems = checks.all_problems(course, modules)
    assert not problems, "\n".join(problems)


def uncited_references(course: dict, modules: list[tuple[str, dict]]) -> list[str]:
    """Keys of the references that no module cites with author and year."""
    cited = set()
    for _name, module in modules:
        for _label, text in checks.module_author_text(module):
            cited |= checks.dated_citations(text)
    return [
        ref["key"]
        for ref in course["references"]
        if not any(checks._reference_for(surname, year, [ref]) for surname, year in cited)
    ]


def test_every_reference_in_the_list_is_cited_in_some_module(course, modules):
    assert uncited_references(course, modules) == []


def test_a_reference_no_module_cites_is_found(course, modules):
    extra = {"key": "unused", "text": "Nobody, A. (1990). Never cited. Some Journal, 1, 1-2."}
    course = {**course, "references": [*course["references"], extra]}
    assert uncited_references(course, modules) == ["unused"]


def test_every_module_has_two_or_more_dated_citations_in_its_body(modules):
    for name, module in modules:
        assert len(checks.dated_citations(checks.body_text(module))) >= 2, name


def test_some_questions_ask_the_teacher_to_choose_all_that_apply(modules):
    several = [
        question
        for _name, module in modules
        for question in module["quiz"]["questions"]
        if question["type"] == "multiple_choice"
        and sum(choice["correct"] for choice in question["choices"]) > 1
    ]
    assert len(several) >= 4


# ------------------------------------------------------------------ a deliberately bad module


def test_a_bad_module_fails_each_check(course, modules):
    name, good = modules[0]
    bad = [(name, _bad_module(good))]

    assert checks.check_longest_right_answers(bad)
    assert any("source article" in p for p in checks.check_forbidden_phrases(course, bad))
    citation_problems = checks.check_dated_citations(course, bad)
    assert any("dated citation" in p for p in citation_problems)
    assert any("Smith (2010) is not in the reference list" in p for p in citation_problems)
    spelling = checks.check_us_spelling(course, bad)
    assert any("'programme'" in p for p in spelling)
    assert any("'behaviour'" in p for p in spelling)
    assert any("add up to 20" in p for p in checks.check_activity_plans(bad))
    reflections = checks.check_reflections(bad)
    assert any("made-up names" in p for p in reflections)
    assert any("Tried it" in p for p in reflections)


@pytest.mark.parametrize(
    "text",
    [
        "National Education Association (NEA). (n.d.). Guidance on achievement gaps.",
        "Hudson, T. (2017). Six strategies to reach, teach, and close math gaps.",
        "Staff (2019).",
    ],
)
def test_a_reference_without_year_or_venue_fails(text):
    problems = checks.check_references({"references": [{"key": "bad", "text": text}]})
    assert problems


def test_a_complete_reference_passes():
    ref = {
        "key": "good",
        "text": "Flores, A. (2007). Examining disparities in mathematics education: Achievement "
        "gap or opportunity gap? The High School Journal, 91(1), 29-42.",
    }
    assert checks.check_references({"references": [ref]}) == []


def test_us_spellings_pass_the_spelling_check():
    module = {"title": "Color, behavior, program, rigor, practice, neighborhood, favorite"}
    assert checks.check_us_spelling({}, [("m.toml", module)]) == []
