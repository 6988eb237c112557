#!/usr/bin/env python3
"""Hash the 8-word shingles of the seed articles into content/seed_shingles.txt.

The seed articles are not committed. Only these hashes are, so that
tests/content/test_starter_course_copy.py can check on any machine that the
course copy shares no run of 8 or more words with the seeds.

Usage (from the repository root):

    python3 scripts/make_seed_shingles.py [SEEDS_DIR] [--out PATH]

SEEDS_DIR defaults to ../shared/seeds. A relative path is tried against the
current directory first, then against the repository root.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from content.shingles import normalise, shingle_hash, shingles  # noqa: E402

DEFAULT_SEEDS = "../shared/seeds"
DEFAULT_OUT = REPO_ROOT / "content" / "seed_shingles.txt"


def resolve_seeds_dir(raw: str) -> Path:
    path = Path(raw)
    if path.is_absolute() or path.is_dir():
        return path
    return (REPO_ROOT / path).resolve()


def seed_hashes(seeds_dir: Path) -> set[str]:
    files = sorted(seeds_dir.glob("*.txt"))
    if not files:
        raise SystemExit(f"No .txt files found in {seeds_dir}")
    hashes: set[str] = set()
    for path in files:
        tokens = normalise(path.read_text(encoding="utf-8"))
        hashes.update(shingle_hash(words) for words in shingles(tokens))
    return hashes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds_dir", nargs="?", default=DEFAULT_SEEDS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    seeds_dir = resolve_seeds_dir(args.seeds_dir)
    hashes = sorted(seed_hashes(seeds_dir))
    args.out.write_text("".join(f"{h}\n" for h in hashes), encoding="utf-8")
    print(f"Wrote {len(hashes)} shingle hashes from {seeds_dir} to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
