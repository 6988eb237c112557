"""`make loadtest-compare`: the module page's throughput and latency on the real stack, the
code before a change beside the code after it, measured in one run against the same data.

    python -m ops.loadtest --compare-before eb94e94^1 --page module          # 2 rounds of 60 s
    python -m ops.loadtest --compare-before eb94e94^1 --rounds 3 --seconds 90 --users 8

REV is checked out into a temporary `git worktree` (only read, and removed at the end whatever
happens); the after code is this checkout, or --compare-after REV in a second worktree. Both
run from this checkout's venv and on this checkout's stack (ops.stack: nginx with TLS ->
gunicorn with its workers -> a private PostgreSQL and Redis each, RQ workers, the sweep), so
only the application code differs. Each code migrates, seeds (seed_demo) and prepares the load
data (its own ops.scenario.prepare_load) in its own database, from the same fixed inputs, so
both serve the same accounts, course and progress.

The load is the saturating one (locustfile LOAD_SATURATE): signed-in returning teachers open
module pages with no pause, so the server, not think time, bounds the throughput. After a
warm-up per code (not counted: caches, the databases' buffers, gunicorn's imports) the runs
alternate before/after, after/before, ... (each round swaps the order, so a drift of this
shared machine falls on both codes alike). The table: each run's module-page figures, each
code's median over rounds, and after/before. With a fixed number of users and no pauses,
latency is about users / throughput (every user always waits in the queue), so p50-p99 follow
the throughput; the percentiles still show whether the slow tail moved with it.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import statistics
import subprocess
import tempfile
from pathlib import Path

from . import processes
from .loadtest import load_stack, prepare_data, read_stats, run_locust
from .stack import Stack

PAGE_ROW = "module page"  # locustfile's name for the request


@contextlib.contextmanager
def worktree(rev: str, folder: Path):
    """REV's files in `folder` (a detached git worktree), removed on the way out."""
    git = ["git", "-C", str(processes.ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", "--quiet", str(folder), rev],
                   check=True, capture_output=True, text=True)
    try:
        yield folder
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(folder)], capture_output=True)
        subprocess.run([*git, "worktree", "prune"], capture_output=True)


def describe(root: Path) -> str:
    def git(*args):
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              text=True).stdout.strip()

    dirty = git("status", "--porcelain", "--untracked-files=no")
    return git("log", "-1", "--format=%h %s")[:70] + (" (+ uncommitted changes)" if dirty else "")


def figures(stats: list[dict]) -> dict:
    row = next((r for r in stats if r["name"] == PAGE_ROW), None)
    if row is None or not row["requests"]:
        raise RuntimeError(f"no {PAGE_ROW!r} request was made")
    return {
        "requests": row["requests"], "errors": row["failures"], "rps": row["rps"],
        **{p: float(row[p]) for p in ("p50", "p95", "p99")},
    }


def medians(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs)
            for key in ("requests", "errors", "rps", "p50", "p95", "p99")}


def ratios(before: dict, after: dict) -> dict:
    return {key: after[key] / before[key] if before[key] else float("nan")
            for key in ("rps", "p50", "p95", "p99")}


def line(label: str, row: dict) -> str:
    return (f"{label:<20}{row['requests']:>9.0f}{row['errors']:>7.0f}{row['rps']:>8.1f}"
            f"{row['p50']:>7.0f}{row['p95']:>7.0f}{row['p99']:>7.0f}")


def table(runs: dict, args) -> str:
    before, after = medians(runs["before"]), medians(runs["after"])
    ratio = ratios(before, after)
    lines = [f"{'run':<20}{'requests':>9}{'errors':>7}{'req/s':>8}"
             f"{'p50':>7}{'p95':>7}{'p99':>7}"]
    for n in range(args.rounds):
        for code in ("before", "after"):
            lines.append(line(f"round {n + 1} {code}", runs[code][n]))
    lines += [line("median before", before), line("median after", after),
              f"{'after/before':<36}{ratio['rps']:>8.2f}{ratio['p50']:>7.2f}"
              f"{ratio['p95']:>7.2f}{ratio['p99']:>7.2f}",
              "(times in ms; latency ratios below 1 are faster)",
              f"throughput x{ratio['rps']:.2f}; p99 falls by x{1 / ratio['p99']:.2f}"
              f" (p50 by x{1 / ratio['p50']:.2f})"]
    return "\n".join(lines)


def start(code: str, root: Path, run: Path, args, cleanup: contextlib.ExitStack):
    stack = load_stack(run / code, root=root, ports_from_env=False)
    cleanup.callback(stack.stop)  # before the worktree it runs from goes, even half started
    stack.start()
    print(f"{code}: {describe(root)} on {stack.url}", flush=True)
    return stack, prepare_data(stack, args)


def measure(stacks: dict, data: dict, args) -> dict:
    runs = {"before": [], "after": []}
    for code in ("before", "after"):
        if args.warmup:
            run_locust(stacks[code], name=f"{code}-warmup", args=args, data_file=data[code],
                       seconds=args.warmup)
    for n in range(args.rounds):
        order = ("before", "after") if n % 2 == 0 else ("after", "before")
        for code in order:
            result = run_locust(stacks[code], name=f"{code}-{n + 1}", args=args,
                                data_file=data[code], seconds=args.seconds)
            runs[code].append(figures(read_stats(result["prefix"])))
            print(line(f"round {n + 1} {code}", runs[code][-1]), flush=True)
    return runs


def interrupted(*_):
    """`kill` (SIGTERM) unwinds like Ctrl-C, so the stacks and the worktree go too."""
    raise KeyboardInterrupt


def main(args) -> int:
    args.page, args.saturate = "module", True
    args.users = args.users or 8
    args.seconds = args.seconds or 60
    signal.signal(signal.SIGTERM, interrupted)
    run = Path(tempfile.mkdtemp(prefix="pdsite-compare-"))
    run.chmod(0o755)  # PostgreSQL (its own user when run as root) needs to reach its folder
    try:
        with contextlib.ExitStack() as cleanup:  # undone last to first
            roots = {
                "before": cleanup.enter_context(worktree(args.compare_before, run / "code-before")),
                "after": (cleanup.enter_context(worktree(args.compare_after, run / "code-after"))
                          if args.compare_after else processes.ROOT),
            }
            stacks: dict[str, Stack] = {}
            data = {}
            for code in ("before", "after"):
                stacks[code], data[code] = start(code, roots[code], run, args, cleanup)
            print(f"\n{args.users} users without think time, module pages only, "
                  f"{stacks['after'].web_workers} gunicorn workers each, warm-up {args.warmup} s, "
                  f"{args.rounds} rounds of {args.seconds} s per code\n", flush=True)
            runs = measure(stacks, data, args)
    except KeyboardInterrupt:
        print("\ninterrupted: the stacks were stopped and the worktree removed")
        return 130
    finally:
        if args.keep:
            print(f"kept {run}")
        else:
            shutil.rmtree(run, ignore_errors=True)
    print(f"\n== module page, before {args.compare_before} / after "
          f"{args.compare_after or 'this checkout'} ==")
    print(table(runs, args))
    errors = sum(r["errors"] for code in runs.values() for r in code)
    print("\nLOAD COMPARE", "FAILED: requests failed" if errors else "DONE")
    return 1 if errors else 0

