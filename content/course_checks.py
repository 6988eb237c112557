"""Editorial checks for a course kept as data files (content/<course>/*.toml).

Each check takes the parsed course.toml and a list of (file name, module dict) pairs
and returns a list of problems (empty when the course passes). They are plain
functions with no Django import, so tests/content/test_starter_course_checks.py can run
them on the shipped course and on a deliberately bad module, and docs/starter-course.md
can describe exactly what CI enforces.

What they catch, and why (see issue 15 and docs/starter-course.md):
* a quiz whose right answer is the longest choice too often (test-wise teachers learn
  to pick the longest answer without reading);
* a reference without a year and a venue, or one that points to "the source article";
* a module with fewer than two dated citations, or a citation in the text whose author
  and year are not in the reference list;
* British spellings in a course set in US schools;
* an activity plan whose minutes do not add up to the module's estimate;
* reflection prompts that do not ask for made-up names, and modules without a
  "Tried it" reflection that carries a rubric.
"""

from __future__ import annotations

import html
import re

# Share of a module's multiple-choice questions whose right answer may be the longest
# choice. With three or four choices, chance alone puts it near a third.
LONGEST_RIGHT_ANSWER_SHARE = 1 / 3
MIN_DATED_CITATIONS = 2

# US spelling is house style. Each pattern is a whole word, matched case-insensitively.
BRITISH_SPELLINGS = (
    r"programmes?",
    r"behaviours?",
    r"behavioural",
    r"rigour",
    r"colours?",
    r"favourites?",
    r"neighbours?",
    r"neighbourhoods?",
    r"centres?",
    r"fortnights?",
    r"timetables?",
    r"practis(?:e|es|ed|ing)",
    r"organis(?:e|es|ed|ing|ation|ations)",
    r"recognis(?:e|es|ed|ing)",
    r"realis(?:e|es|ed|ing)",
    r"emphasis(?:e|es|ed|ing)",
    r"apologis(?:e|es|ed|ing)",
    r"summaris(?:e|es|ed|ing)",
    r"prioritis(?:e|es|ed|ing)",
    r"internalis(?:e|es|ed|ing)",
    r"normalis(?:e|es|ed|ing)",
    r"analys(?:e|es|ed|ing)",
    r"label(?:led|ling)",
    r"model(?:led|ling)",
    r"travel(?:led|ling)",
    r"enrol(?:s|led|ling|ment)?",
    r"judgements?",
    r"whilst",
    r"learnt",
    r"maths",
    r"per cent",
    r"artefacts?",
)
BRITISH_RE = re.compile(r"\b(?:" + "|".join(BRITISH_SPELLINGS) + r")\b", re.IGNORECASE)

FORBIDDEN_PHRASES = ("source article",)

TAG_RE = re.compile(r"<[^>]+>")
# "Flores (2007)", "Barton's (2003)", "Steele and Aronson (1995)", "Cook and colleagues
# (2018)", "Yeager et al. (2014)" and "(Lyon, 1999)".
NAMED_YEAR_RE = re.compile(
    r"([A-Z][A-Za-z\-]+)(?:'s)?(?:\s+and\s+colleagues|\s+et\s+al\.)?\s+\(((?:19|20)\d{2})\)"
)
PAREN_YEAR_RE = re.compile(r"\(([A-Z][A-Za-z\-]+)(?:\s+et\s+al\.)?,\s+((?:19|20)\d{2})\)")
REFERENCE_YEAR_RE = re.compile(r"\(((?:19|20)\d{2})[,)]")


def plain(text: str) -> str:
    return html.unescape(TAG_RE.sub(" ", text or ""))


def module_author_text(module: dict) -> list[tuple[str, str]]:
    """(label, plain text) for every piece of author text in a module."""
    texts = [("title", module.get("title", "")), ("summary", module.get("summary", ""))]
    for i, activity in enumerate(module.get("activities", [])):
        texts.append(
            (f"activities[{i}]", f"{activity.get('title', '')} {activity.get('detail', '')}")
        )
    for i, block in enumerate(module.get("body", [])):
        for key in ("title", "citation", "grade_band", "html"):
            if block.get(key):
                texts.append((f"body[{i}].{key}", plain(block[key])))
    for q, question in enumerate(module.get("quiz", {}).get("questions", [])):
        for key in ("question", "explanation", "prompt", "guidance"):
            if question.get(key):
                texts.append((f"quiz.questions[{q}].{key}", question[key]))
        for c, choice in enumerate(question.get("choices", [])):
            texts.append(
                (
                    f"quiz.questions[{q}].choices[{c}]",
                    f"{choice['text']} {choice.get('feedback', '')}",
                )
            )
    return texts


def body_text(module: dict) -> str:
    return " ".join(
        plain(block.get(key, ""))
        for block in module.get("body", [])
        for key in ("title", "citation", "html")
    )


def dated_citations(text: str) -> set[tuple[str, str]]:
    """(surname, year) pairs cited in a piece of text."""
    found = {(m.group(1), m.group(2)) for m in NAMED_YEAR_RE.finditer(text)}
    found |= {(m.group(1), m.group(2)) for m in PAREN_YEAR_RE.finditer(text)}
    return found


def _reference_for(surname: str, year: str, references: list[dict]) -> dict | None:
    for ref in references:
        text = ref["text"]
        if f"({year}" in text and re.search(rf"\b{re.escape(surname)}\b", text, re.IGNORECASE):
            return ref
    return None


# --------------------------------------------------------------------------- checks


def check_longest_right_answers(modules: list[tuple[str, dict]]) -> list[str]:
    problems = []
    for name, module in modules:
        questions = [
            q for q in module.get("quiz", {}).get("questions", []) if q["type"] == "multiple_choice"
        ]
        if not questions:
            continue
        longest_right = 0
        for question in questions:
            longest = max(len(choice["text"]) for choice in question["choices"])
            if any(c["correct"] and len(c["text"]) == longest for c in question["choices"]):
                longest_right += 1
        if longest_right > LONGEST_RIGHT_ANSWER_SHARE * len(questions):
            problems.append(
                f"{name}: the right answer is the longest choice in {longest_right} of "
                f"{len(questions)} questions (at most a third allowed)"
            )
    return problems


def check_references(course: dict) -> list[str]:
    """Every reference has an author, a year, a title and a venue or publisher."""
    problems = []
    for ref in course.get("references", []):
        text = ref.get("text", "")
        year = REFERENCE_YEAR_RE.search(text)
        if year is None or "n.d." in text:
            problems.append(f"reference {ref.get('key')}: no year")
            continue
        author = text[: year.start()].strip()
        # After "(year). " come the title and then the venue: at least two more parts.
        rest = text[year.end() :].lstrip(").,").strip()
        parts = [p for p in re.split(r"(?<=[.?!])\s+", rest) if p.strip()]
        if not author:
            problems.append(f"reference {ref.get('key')}: no author")
        if len(parts) < 2:
            problems.append(f"reference {ref.get('key')}: needs a title and a venue or publisher")
    return problems


def check_forbidden_phrases(course: dict, modules: list[tuple[str, dict]]) -> list[str]:
    texts = [
        ("course.toml", f"references[{i}]", r["text"])
        for i, r in enumerate(course.get("references", []))
    ]
    texts += [("course.toml", "summary", course.get("summary", ""))]
    for name, module in modules:
        texts += [(name, label, text) for label, text in module_author_text(module)]
    return [
        f"{name} {label}: contains {phrase!r}"
        for name, label, text in texts
        for phrase in FORBIDDEN_PHRASES
        if phrase in text.lower()
    ]


def check_dated_citations(course: dict, modules: list[tuple[str, dict]]) -> list[str]:
    """At least two dated citations in each module's body; every dated citation anywhere
    in a module (body or quiz) is in the reference list."""
    references = course.get("references", [])
    problems = []
    for name, module in modules:
        in_body = dated_citations(body_text(module))
        if len(in_body) < MIN_DATED_CITATIONS:
            problems.append(
                f"{name}: {len(in_body)} dated citation(s) in the text, needs {MIN_DATED_CITATIONS}"
            )
        everywhere = set()
        for _label, text in module_author_text(module):
            everywhere |= dated_citations(text)
        for surname, year in sorted(everywhere):
            if _reference_for(surname, year, references) is None:
                problems.append(f"{name}: {surname} ({year}) is not in the reference list")
        keys = {ref["key"] for ref in references}
        for block in module.get("body", []):
            if block.get("type") == "research_note" and block.get("reference") not in keys:
                problems.append(
                    f"{name}: research note cites unknown key {block.get('reference')!r}"
                )
    return problems


def check_us_spelling(course: dict, modules: list[tuple[str, dict]]) -> list[str]:
    # Reference text is exempt: titles keep their published spelling.
    texts = [("course.toml", "summary", course.get("summary", ""))]
    texts += [
        ("course.toml", f"objectives[{i}]", o) for i, o in enumerate(course.get("objectives", []))
    ]
    sa = course.get("self_assessment", {})
    texts += [
        (
            "course.toml",
            "self_assessment",
            " ".join([sa.get("intro", "")] + sa.get("statements", [])),
        )
    ]
    for name, module in modules:
        texts += [(name, label, text) for label, text in module_author_text(module)]
    return [
        f"{name} {label}: British spelling {match.group(0)!r}"
        for name, label, text in texts
        for match in BRITISH_RE.finditer(text)
    ]


def check_activity_plans(modules: list[tuple[str, dict]]) -> list[str]:
    problems = []
    for name, module in modules:
        activities = module.get("activities", [])
        if not activities:
            problems.append(f"{name}: no activity plan")
            continue
        total = sum(activity.get("minutes", 0) for activity in activities)
        if total != module.get("estimated_minutes"):
            problems.append(
                f"{name}: activity minutes add up to {total}, estimate is "
                f"{module.get('estimated_minutes')}"
            )
        if not any("artifact" in activity.get("detail", "").lower() for activity in activities):
            problems.append(f"{name}: no activity names the artifact the teacher produces")
    return problems


def check_reflections(modules: list[tuple[str, dict]]) -> list[str]:
    problems = []
    for name, module in modules:
        reflections = [
            q for q in module.get("quiz", {}).get("questions", []) if q["type"] == "reflection"
        ]
        for question in reflections:
            if "made-up name" not in question["prompt"].lower():
                problems.append(f"{name}: reflection prompt does not ask for made-up names")
        tried = [q for q in reflections if q["prompt"].lower().startswith("tried it")]
        if not tried:
            problems.append(f"{name}: no 'Tried it' reflection about what happened in class")
        elif not any("rubric" in q.get("guidance", "").lower() for q in tried):
            problems.append(f"{name}: the 'Tried it' reflection has no rubric in its guidance")
    return problems


def all_problems(course: dict, modules: list[tuple[str, dict]]) -> list[str]:
    return (
        check_longest_right_answers(modules)
        + check_references(course)
        + check_forbidden_phrases(course, modules)
        + check_dated_citations(course, modules)
        + check_us_spelling(course, modules)
        + check_activity_plans(modules)
        + check_reflections(modules)
    )
