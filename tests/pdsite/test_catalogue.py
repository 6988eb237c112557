"""The Spanish catalogue is complete: every string our code and templates mark for
translation has a Spanish translation, none fuzzy, and the committed .po is not behind the
code. `manage.py update_catalogue` (makemessages over our code) runs in a copy of the
project, so the committed files are never touched; gettext's msgcmp then compares."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
NOT_COPIED = shutil.ignore_patterns(
    ".*", "__pycache__", "*.mo", "tests", "test-artifacts", "media", "private", "staticfiles"
)


@pytest.fixture(scope="module")
def template_from_code(tmp_path_factory) -> Path:
    """locale/django.pot as makemessages writes it from the code as it is now."""
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED, symlinks=True)
    subprocess.run(
        [sys.executable, "manage.py", "update_catalogue", "--keep-pot", "-v", "0"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return copy / "locale" / "django.pot"


def msgids(path: Path) -> set[str]:
    """The msgids of a .po/.pot, read by gettext itself (msgcat --no-wrap, one per line)."""
    text = subprocess.run(
        ["msgcat", "--no-wrap", "--no-location", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {line[len('msgid "') : -1] for line in text.splitlines() if line.startswith('msgid "')}


def entries_of(path: Path, which: str) -> str:
    return subprocess.run(
        ["msgattrib", which, "--no-obsolete", str(path)], capture_output=True, text=True, check=True
    ).stdout


def test_every_marked_string_has_a_spanish_translation(template_from_code):
    # msgcmp fails on any msgid of the code that the catalogue lacks, leaves empty or
    # marks fuzzy (fuzzy and untranslated entries count as missing unless told otherwise).
    result = subprocess.run(
        ["msgcmp", str(CATALOGUE), str(template_from_code)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-4000:]


def test_the_catalogue_is_not_behind_the_code(template_from_code):
    missing = msgids(template_from_code) - msgids(CATALOGUE)
    assert not missing, f"run `make catalogue` and translate: {sorted(missing)[:20]}"
    assert len(msgids(template_from_code)) > 1000  # the copy really was read


def test_no_entry_is_fuzzy_or_untranslated_and_placeholders_match():
    fuzzy = entries_of(CATALOGUE, "--only-fuzzy")
    untranslated = entries_of(CATALOGUE, "--untranslated")
    assert "msgid" not in fuzzy
    assert "msgid" not in untranslated
    # --check: every %(name)s of a python-format msgid is in its translation, the header is
    # well formed, plural forms are declared.
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(CATALOGUE)], check=True)
