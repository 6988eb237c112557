"""Plain-data checks for the starter course in content/starter_course/.

No Django needed:

    python3 -m pytest tests/content -q -p no:django -p no:cacheprovider

1. Originality: no run of 8 consecutive words in the author text may match the
   seed articles. The seeds are not in the repository; content/seed_shingles.txt
   holds the sha256 prefixes of their 8-word shingles
   (see scripts/make_seed_shingles.py). Reference list text is exempt.
2. Shape: six modules, body length, quiz structure, references, headings.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import tomllib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
COURSE_DIR = REPO_ROOT / "content" / "starter_course"
SEED_SHINGLES = REPO_ROOT / "content" / "seed_shingles.txt"


def _load_shingles_module():
    # Load by file path: tests/content is itself a package called "content" when
    # tests/ has no __init__.py, which would shadow the top-level content package.
    path = REPO_ROOT / "content" / "shingles.py"
    spec = importlib.util.spec_from_file_location("starter_course_shingles", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shingles = _load_shingles_module()

ALLOWED_TAGS = {"h2", "h3", "p", "ul", "ol", "li", "b", "i", "a"}
BLOCK_TYPES = {"rich_text", "callout", "research_note", "practice"}
CALLOUT_KINDS = {"tip", "note", "important"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAG_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)([^>]*)>")
HEADING_RE = re.compile(r"<\s*(h[1-6])\b", re.IGNORECASE)


def _load(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _module_paths() -> list[Path]:
    return sorted(COURSE_DIR.glob("module-*.toml"), key=lambda p: int(p.stem.split("-")[1]))


@pytest.fixture(scope="module")
def course() -> dict:
    return _load(COURSE_DIR / "course.toml")


@pytest.fixture(scope="module")
def modules() -> list[tuple[Path, dict]]:
    return [(path, _load(path)) for path in _module_paths()]


# --------------------------------------------------------------------------- #
# Author text extraction
# --------------------------------------------------------------------------- #


def _course_texts(course: dict) -> list[tuple[str, str]]:
    """(field label, plain text) pairs for course.toml, excluding reference text."""
    texts = [("title", course.get("title", "")), ("summary", course.get("summary", ""))]
    texts += [(f"objectives[{i}]", o) for i, o in enumerate(course.get("objectives", []))]
    sa = course.get("self_assessment", {})
    texts += [("self_assessment.title", sa.get("title", ""))]
    texts += [("self_assessment.intro", shingles.strip_html(sa.get("intro", "")))]
    texts += [
        (f"self_assessment.statements[{i}]", s) for i, s in enumerate(sa.get("statements", []))
    ]
    return texts


def _module_texts(module: dict) -> list[tuple[str, str]]:
    """(field label, plain text) pairs for every piece of author text in a module."""
    texts = [("title", module.get("title", "")), ("summary", module.get("summary", ""))]
    for i, block in enumerate(module.get("body", [])):
        label = f"body[{i}] ({block.get('type')})"
        for key in ("title", "citation", "grade_band"):
            if block.get(key):
                texts.append((f"{label}.{key}", block[key]))
        texts.append((f"{label}.html", shingles.strip_html(block.get("html", ""))))
    quiz = module.get("quiz", {})
    texts.append(("quiz.title", quiz.get("title", "")))
    for q, question in enumerate(quiz.get("questions", [])):
        label = f"quiz.questions[{q}]"
        for key in ("question", "explanation", "prompt", "guidance"):
            if question.get(key):
                texts.append((f"{label}.{key}", question[key]))
        for c, choice in enumerate(question.get("choices", [])):
            for key in ("text", "feedback"):
                if choice.get(key):
                    texts.append((f"{label}.choices[{c}].{key}", choice[key]))
    return texts


def _all_texts() -> list[tuple[str, str, str]]:
    out = [
        ("course.toml", label, text)
        for label, text in _course_texts(_load(COURSE_DIR / "course.toml"))
    ]
    for path in _module_paths():
        out += [(path.name, label, text) for label, text in _module_texts(_load(path))]
    return out


def _body_plain_text(module: dict) -> str:
    parts = []
    for block in module.get("body", []):
        if block.get("title"):
            parts.append(block["title"])
        parts.append(shingles.strip_html(block.get("html", "")))
    return " ".join(parts)


def _word_count(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------- #
# Originality against the seed articles
# --------------------------------------------------------------------------- #


def test_seed_shingle_file_present():
    assert SEED_SHINGLES.is_file(), "run scripts/make_seed_shingles.py to create it"
    lines = SEED_SHINGLES.read_text(encoding="utf-8").split()
    assert len(lines) > 1000
    assert all(re.fullmatch(r"[0-9a-f]{16}", line) for line in lines)
    assert lines == sorted(set(lines))


def test_shingle_normalisation_examples():
    assert shingles.normalise("Students\u2019 \u201cHigh\u201d grade-level WORK!") == [
        "students",
        "high",
        "grade",
        "level",
        "work",
    ]
    words = ("a", "b", "c", "d", "e", "f", "g", "h")
    assert shingles.shingle_hash(words) == hashlib.sha256(b"a b c d e f g h").hexdigest()[:16]


def test_no_eight_word_run_matches_the_seeds():
    seed_hashes = set(SEED_SHINGLES.read_text(encoding="utf-8").split())
    texts = _all_texts()
    assert len(texts) > 100, "expected to find the author text"
    offences = []
    for filename, label, text in texts:
        for digest, words in shingles.text_shingle_hashes(text).items():
            if digest in seed_hashes:
                offences.append(f"{filename} {label}: {' '.join(words)!r}")
    assert not offences, "Copy shares 8-word runs with the seeds:\n" + "\n".join(offences)


# --------------------------------------------------------------------------- #
# Course-level shape
# --------------------------------------------------------------------------- #


def test_course_fields(course):
    for key in ("title", "slug", "summary", "estimated_minutes", "credit_hours", "objectives"):
        assert course.get(key), f"course.toml is missing {key}"
    assert SLUG_RE.match(course["slug"])
    assert 4 <= len(course["objectives"]) <= 6
    assert course["sequential"] is True


def test_self_assessment(course):
    sa = course["self_assessment"]
    assert sa["title"] and sa["intro"]
    assert 8 <= len(sa["statements"]) <= 10
    for statement in sa["statements"]:
        assert statement.startswith("I "), statement


def test_references(course):
    keys = [ref["key"] for ref in course["references"]]
    assert len(keys) == len(set(keys)), "duplicate reference keys"
    for ref in course["references"]:
        assert re.fullmatch(r"[a-z0-9_]+", ref["key"]), ref["key"]
        assert ref["text"].strip()
        assert ref.get("url", "") == "" or ref["url"].startswith("https://")


def test_six_modules_with_unique_slugs(course, modules):
    assert [p.name for p, _ in modules] == [f"module-{i}.toml" for i in range(1, 7)]
    slugs = [m["slug"] for _, m in modules]
    assert all(SLUG_RE.match(s) for s in slugs)
    assert len(set(slugs)) == 6
    assert sum(m["estimated_minutes"] for _, m in modules) == course["estimated_minutes"]


# --------------------------------------------------------------------------- #
# Module shape
# --------------------------------------------------------------------------- #


def _module_ids():
    return [p.name for p in _module_paths()]


@pytest.fixture(params=_module_ids())
def module(request) -> tuple[str, dict]:
    return request.param, _load(COURSE_DIR / request.param)


def test_module_fields(module):
    name, data = module
    for key in ("title", "slug", "summary", "estimated_minutes"):
        assert data.get(key), f"{name} is missing {key}"
    assert data["required"] is True


def test_body_length(module):
    name, data = module
    words = _word_count(_body_plain_text(data))
    assert 800 <= words <= 1500, f"{name} body has {words} words"


def test_body_block_types(module):
    name, data = module
    body = data["body"]
    types = [b["type"] for b in body]
    assert set(types) <= BLOCK_TYPES, f"{name} uses unknown block types {set(types) - BLOCK_TYPES}"
    assert types.count("rich_text") >= 2
    assert "practice" in types
    for block in body:
        assert block.get("html", "").strip(), f"{name} has an empty {block['type']} block"
        if block["type"] != "rich_text":
            assert block.get("title"), f"{name} {block['type']} block needs a title"
        if block["type"] == "callout":
            assert block["kind"] in CALLOUT_KINDS
        if block["type"] == "practice":
            assert block.get("grade_band")


def test_research_notes_cite_course_references(module, course):
    name, data = module
    keys = {ref["key"] for ref in course["references"]}
    notes = [b for b in data["body"] if b["type"] == "research_note"]
    assert notes, f"{name} has no research_note"
    for note in notes:
        assert note.get("citation"), f"{name} research note without citation"
        assert note["reference"] in keys, f"{name} cites unknown reference {note['reference']}"


def test_headings_and_tags(module):
    name, data = module
    body = data["body"]
    first = body[0]
    assert first["type"] == "rich_text"
    assert first["html"].lstrip().lower().startswith("<h2>"), f"{name} must open with <h2>"

    seen_h2 = False
    for i, block in enumerate(body):
        markup = block.get("html", "")
        for closing, tag, attrs in TAG_RE.findall(markup):
            tag = tag.lower()
            assert tag in ALLOWED_TAGS, f"{name} body[{i}] uses <{tag}>"
            if tag == "a" and not closing:
                href = re.search(r'href\s*=\s*"([^"]*)"', attrs)
                assert href and href.group(1).startswith("https://"), f"{name} body[{i}] link"
            elif not closing:
                assert not attrs.strip(), f"{name} body[{i}] <{tag}> has attributes"
        # Block titles of non-rich_text blocks are rendered as h3.
        levels = ["h3"] if block["type"] != "rich_text" else []
        levels += [h.lower() for h in HEADING_RE.findall(markup)]
        for level in levels:
            assert level in {"h2", "h3"}, f"{name} body[{i}] uses <{level}>"
            if level == "h2":
                seen_h2 = True
            assert seen_h2, f"{name} body[{i}] has an h3 before any h2"


def test_quiz(module):
    name, data = module
    quiz = data["quiz"]
    assert quiz["title"]
    assert 0 < quiz["pass_mark"] <= 100
    questions = quiz["questions"]
    mcqs = [q for q in questions if q["type"] == "multiple_choice"]
    reflections = [q for q in questions if q["type"] == "reflection"]
    assert len(mcqs) + len(reflections) == len(questions), f"{name} has unknown question types"
    assert 4 <= len(mcqs) <= 6, f"{name} has {len(mcqs)} multiple-choice questions"
    assert 1 <= len(reflections) <= 2, f"{name} has {len(reflections)} reflection prompts"
    for q in mcqs:
        assert q["question"].strip()
        choices = q["choices"]
        assert 3 <= len(choices) <= 4, f"{name}: {q['question']!r} has {len(choices)} choices"
        # One right answer, or several for a choose-all-that-apply item (the quiz page
        # shows checkboxes then); never all of them, so the teacher has to judge.
        right = sum(1 for c in choices if c["correct"] is True)
        assert 1 <= right < len(choices), q["question"]
        assert all(c["correct"] in (True, False) for c in choices)
        for c in choices:
            assert c["text"].strip() and c["feedback"].strip(), f"{name}: choice without feedback"
        assert len({c["text"] for c in choices}) == len(choices)
    for q in reflections:
        assert q["prompt"].strip()
        assert isinstance(q["min_words"], int) and 20 <= q["min_words"] <= 300
        assert isinstance(q["max_chars"], int) and q["max_chars"] > q["min_words"] * 5
