"""Write content/starter_course/earlier_seeds.json: the fingerprint of every page and quiz
that each earlier release of the starter course wrote, read from git history.

    .venv/bin/python scripts/starter_seed_fingerprints.py

`manage.py update_starter_course` replaces content on a database seeded before the loader
kept records only when it matches one of these (an author's edit never does). Run this
after changing the fingerprint functions; a new release of the content needs no run (the
loader records what it writes)."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pdsite.settings.dev")

import django  # noqa: E402

django.setup()

from demo.starter_update import shipped_fingerprints  # noqa: E402
from modules.starter_content import (  # noqa: E402
    EARLIER_SEEDS_FILE,
    STARTER_COURSE_DIR,
    read_course_data,
)

FOLDER = "content/starter_course"


def git(*args) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True).stdout.decode()


def main():
    earlier: dict[str, set[str]] = {}
    for commit in git("log", "--format=%H", "--", FOLDER).split():
        with tempfile.TemporaryDirectory() as tmp:
            for name in git("ls-tree", "--name-only", f"{commit}:{FOLDER}").split():
                if name.endswith(".toml"):
                    (Path(tmp) / name).write_text(git("show", f"{commit}:{FOLDER}/{name}"))
            try:
                prints = shipped_fingerprints(read_course_data(Path(tmp)))
            except (KeyError, ValueError) as error:  # a layout the loader no longer reads
                print(f"{commit[:7]}: skipped ({error!r})")
                continue
        for key, value in prints.items():
            earlier.setdefault(key, set()).add(value)
        print(f"{commit[:7]}: {len(prints)} fingerprints")
    out = STARTER_COURSE_DIR / EARLIER_SEEDS_FILE
    data = {key: sorted(values) for key, values in sorted(earlier.items())}
    out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"Wrote {out}")


if __name__ == "__main__":
    main()
