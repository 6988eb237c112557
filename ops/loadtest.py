"""`make loadtest`: Locust (headless) against the production stack through nginx, with faults.

    python -m ops.loadtest --scenario all              # 2 minutes each, figures for the docs
    python -m ops.loadtest --short                     # about a minute in all: CI
    python -m ops.loadtest --scenario steady --page module   # one page type (speed work)
    python -m ops.loadtest --page module --saturate --users 8  # no think time: server-bound
    python -m ops.loadtest --compare-before eb94e94^1 --page module   # two codes, one run

Scenarios: `steady` (no fault: 0 errors), `pg-restart` (PostgreSQL restarted mid-run: errors
only in the restart window), `rq-kill` (a bulk approval of --bulk completions while a task
worker is SIGKILLed every few seconds; after the sweep every certificate, PDF and email exactly
once), `redis-restart` (the cache, sessions and queue server restarted: a signed-in teacher
stays signed in, queued tasks are not lost). Each prints throughput, p50/p95/p99 per request
type and the errors, then checks the database: every quiz submission a client saw succeed is
stored exactly once. Only 127.0.0.1 is ever contacted; every run is bounded in time.
--compare-before REV runs the saturating module-page load on that commit's code and on this
checkout's, alternating, and prints their ratios (ops/compare.py). PORT_RANGE=8151-8169 keeps
every port the stacks open inside that range (a machine shared by several people).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import urllib3

from . import processes
from .faults import problems
from .stack import Stack

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
SCENARIOS = ["steady", "pg-restart", "rq-kill", "redis-restart"]


def run_locust(stack: Stack, *, name: str, args, data_file: Path, seconds: int) -> dict:
    prefix = stack.run / "results" / name
    prefix.parent.mkdir(parents=True, exist_ok=True)
    submissions = stack.run / "results" / f"{name}-submissions.jsonl"
    submissions.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.endswith("CA_BUNDLE")}
    env = {**env, "LOAD_DATA": str(data_file), "LOAD_SUBMISSIONS": str(submissions),
           "LOAD_PAGE": args.page or "", "LOAD_SATURATE": "1" if args.saturate else ""}
    started = time.time()
    subprocess_result = processes.subprocess.run(
        [processes.PYTHON, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
         "--headless", "--users", str(args.users), "--spawn-rate", str(args.users),
         "--run-time", f"{seconds}s", "--stop-timeout", "10", "--host", stack.url,
         "--csv", str(prefix), "--csv-full-history", "--only-summary", "--loglevel", "WARNING"],
        cwd=processes.ROOT, env=env, capture_output=True, text=True, timeout=seconds + 120,
    )
    if not (prefix.parent / f"{name}_stats.csv").exists():
        raise RuntimeError(f"locust wrote no statistics:\n{subprocess_result.stderr[-3000:]}")
    return {"started": started, "prefix": prefix, "submissions": submissions}


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv") as stats:
        return [
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": row["50%"], "p95": row["95%"], "p99": row["99%"],
            }
            for row in csv.DictReader(stats)
        ]


def failure_seconds(prefix: Path) -> list[float]:
    """Unix times (to the second) at which the failure count grew."""
    times, last = [], 0
    with open(f"{prefix}_stats_history.csv") as history:
        for row in csv.DictReader(history):
            if row["Name"] != "Aggregated":
                continue
            failures = int(row["Total Failure Count"])
            if failures > last:
                times.append(float(row["Timestamp"]))
            last = failures
    return times


def table(rows: list[dict]) -> str:
    lines = [f"{'request':<18}{'count':>8}{'errors':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}"]
    for row in rows:
        lines.append(
            f"{row['name']:<18}{row['requests']:>8}{row['failures']:>8}{row['rps']:>8.1f}"
            f"{row['p50']:>7}{row['p95']:>7}{row['p99']:>7}"
        )
    return "\n".join(lines) + "\n(times in ms)"


def at(delay: float, action) -> threading.Thread:
    thread = threading.Thread(target=lambda: (time.sleep(delay), action()), daemon=True)
    thread.start()
    return thread


def signed_in_browser(stack: Stack) -> requests.Session:
    import re

    session = requests.Session()
    session.verify = False
    session.trust_env = False  # REQUESTS_CA_BUNDLE in the environment would undo verify=False
    page = session.get(f"{stack.url}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{stack.url}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": "teacher@example.com",
              "password": "pd-demo-2026"},
        headers={"Referer": f"{stack.url}/accounts/login/"}, timeout=30,
    )
    return session


def scenario(stack: Stack, name: str, args, data_file: Path) -> dict:
    seconds = args.seconds
    window: dict = {}
    extra: dict = {}

    def restart(service):
        def go():
            window["start"] = time.time()
            service.restart()
            window["end"] = time.time()
        return go

    if name == "pg-restart":
        at(seconds / 2 + 3, restart(stack.postgres))  # locust takes a few seconds to start
    elif name == "redis-restart":
        browser = signed_in_browser(stack)
        extra["signed_in_before"] = browser.get(f"{stack.url}/dashboard/", timeout=30).url
        at(seconds / 2 + 3, restart(stack.redis))
    elif name == "rq-kill":
        batch = stack.call("prepare_bulk", args.bulk)

        def approve_and_kill():
            window["start"] = time.time()
            stack.call("approve_bulk", batch)
            for n in range(args.kills):
                time.sleep(max(1.0, seconds / (args.kills + 2)))
                stack.kill_worker(n % len(stack.workers))
            window["end"] = time.time()
        at(2, approve_and_kill)

    result = run_locust(stack, name=name, args=args, data_file=data_file, seconds=seconds)
    rows = read_stats(result["prefix"])
    report = {"scenario": name, "rows": rows,
              "submissions": stack.call("check_submissions", str(result["submissions"]))}
    failures = failure_seconds(result["prefix"])
    if window.get("start"):
        report["fault_seconds"] = round(window.get("end", time.time()) - window["start"], 1)
        report["errors_outside_window"] = sum(
            1 for t in failures if not window["start"] - 2 <= t <= window["end"] + 5
        )
    if name == "redis-restart":
        after = browser.get(f"{stack.url}/dashboard/", timeout=30)
        report["still_signed_in"] = after.ok and "/accounts/login/" not in after.url
    if name == "rq-kill":
        report["bulk"] = finish_bulk(stack, args, batch)
    return report


def finish_bulk(stack: Stack, args, batch: str) -> dict:
    """Stop the workers, sweep, drain the queue, and count what the bulk approval produced."""
    deadline = time.time() + args.bulk_timeout
    while time.time() < deadline:
        status = stack.call("bulk_status", batch)
        if status["tasks_waiting"] == 0:
            break
        time.sleep(2)
    for worker in stack.workers:
        processes.kill(worker)
    before = stack.call("bulk_status", batch)
    for _ in range(5):
        swept = stack.manage("repair", "--older-than", "0", "--stuck-after", "0",
                             capture=True).stdout.strip()
        drain = stack.start_process([*stack.worker_command(), "--burst"], "drain.log")
        drain.wait(timeout=args.bulk_timeout)
        if all(part.endswith("=0") for part in swept.split()):
            break
    after = stack.call("bulk_status", batch)
    for n in range(len(stack.workers)):
        stack.workers[n] = stack.start_process(stack.worker_command(), f"worker{n}-after.log")
    return {"before": before, "after": after}


def verdict(report: dict, args) -> list[str]:
    wrong = []
    total = next(r for r in report["rows"] if r["name"] == "Aggregated")
    sub = report["submissions"]
    if sub["missing"] or sub["duplicated"]:
        wrong.append(f"quiz submissions lost {sub['missing']}, duplicated {sub['duplicated']}")
    if report["scenario"] == "steady" and total["failures"]:
        wrong.append(f"{total['failures']} errors under steady load")
    if report.get("errors_outside_window"):
        wrong.append(f"{report['errors_outside_window']} errors outside the fault window")
    if report["scenario"] == "redis-restart" and not report.get("still_signed_in"):
        wrong.append("the teacher was signed out by the Redis restart")
    if report["scenario"] == "rq-kill":
        wrong += problems(report["bulk"], args.bulk)
    return wrong


def load_stack(run: Path, root: Path = processes.ROOT, ports_from_env: bool = True) -> Stack:
    """The stack the load runs against: private PostgreSQL and Redis servers in `run`."""

    def port(name):
        return int((ports_from_env and os.environ.get(name)) or processes.free_port())

    # Locust plays an outer load balancer too (each user's X-Forwarded-For, ops/locustfile.py):
    # two proxies append to the header, so Django counts each simulated person separately.
    return Stack(run=run, root=root, seed_demo=True, database_url="", redis_url="",
                 extra_env={"TRUSTED_PROXY_COUNT": "2"}, port=port("SERVE_PORT"),
                 app_port=port("APP_PORT"), pg_port=port("PG_PORT"),
                 redis_port=port("REDIS_PORT"))


def prepare_data(stack: Stack, args) -> Path:
    """The load's accounts and pages, made by the served code's own ops.scenario."""
    data_file = stack.run / "load-data.json"
    data_file.write_text(json.dumps(stack.call("prepare_load", args.teachers)))
    return data_file


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--short", action="store_true", help="CI: every scenario, ~15 s each")
    parser.add_argument("--page", choices=["module"], default=None)
    parser.add_argument("--saturate", action="store_true",
                        help="users without think time: the server bounds the throughput")
    parser.add_argument("--users", type=int, default=None,
                        help="20 (8 with --saturate or --compare-before)")
    parser.add_argument("--seconds", type=int, default=None,
                        help="per scenario: 120 (per run of --compare-before: 60)")
    parser.add_argument("--compare-before", metavar="REV",
                        help="run the saturating module-page load on REV and on this code")
    parser.add_argument("--compare-after", metavar="REV",
                        help="with --compare-before: REV instead of this checkout")
    parser.add_argument("--rounds", type=int, default=2,
                        help="with --compare-before: runs of each code, alternating")
    parser.add_argument("--warmup", type=int, default=15,
                        help="with --compare-before: seconds of load per code, not counted")
    parser.add_argument("--teachers", type=int, default=200)
    parser.add_argument("--bulk", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--bulk-timeout", type=int, default=1200)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    if args.compare_before:
        from . import compare

        return compare.main(args)
    args.users = args.users or (8 if args.saturate else 20)
    args.seconds = args.seconds or 120
    if args.short:
        args.seconds, args.users, args.teachers, args.bulk, args.kills = 15, 8, 20, 30, 2
    names = SCENARIOS if args.scenario == "all" else [args.scenario]
    if args.page:
        names = ["steady"]
    run = Path(os.environ.get("RUN_DIR") or tempfile.mkdtemp(prefix="pdsite-load-"))
    stack = load_stack(run)
    failures = []
    try:
        stack.start()
        data_file = prepare_data(stack, args)
        for name in names:
            report = scenario(stack, name, args, data_file)
            pause = " without think time" if args.saturate else ""
            print(f"\n== {name}: {args.users} users{pause}, {args.seconds} s, "
                  f"{stack.web_workers} gunicorn workers, {stack.task_workers} RQ workers ==")
            print(table(report["rows"]))
            extras = {k: v for k, v in report.items() if k not in {"rows", "scenario"}}
            print(json.dumps(extras))
            wrong = verdict(report, args)
            failures += [f"{name}: {line}" for line in wrong]
            print("PASSED" if not wrong else "FAILED: " + "; ".join(wrong), flush=True)
    finally:
        stack.stop()
        if not args.keep and not os.environ.get("RUN_DIR"):
            shutil.rmtree(run, ignore_errors=True)
    print("\nLOAD TEST", "FAILED" if failures else "PASSED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
