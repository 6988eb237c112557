"""Kill task workers with SIGKILL during a bulk approval, then prove nothing was lost.

    python -m ops.faults --count 1000 --kills 6 --queue rq     # make faulttest
    python -m ops.faults --count 30 --kills 2 --queue db       # the short run the tests use

A PD administrator approves `count` completions with one click; `workers` task workers
issue the certificates, render the PDFs and send the emails while this script SIGKILLs a
worker (with its work-horse) `kills` times at random moments, starting a fresh one each
time. Then the repair sweep (`manage.py repair`) and workers that exit when the queue is
empty run until nothing is owed. It prints the counts before and after the sweep and exits
non-zero unless there are exactly `count` certificates, PDFs and emails, no duplicate and no
task left running. Everything runs in a scratch folder on a private database (SQLite, or
PostgreSQL with --postgres) and, for --queue rq, a private redis-server.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import processes
from .processes import Postgres, Redis, django_call, kill, manage


def environment(folder: Path, *, database_url: str, redis_url: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    (folder / "mail").mkdir(parents=True, exist_ok=True)
    env.update(
        DJANGO_SETTINGS_MODULE="pdsite.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        BASE_URL="https://pd.example.org",
        DATABASE_URL=database_url,
        EMAIL_URL=f"file://{folder / 'mail'}",
        MEDIA_ROOT=str(folder / "media"),
        PRIVATE_MEDIA_ROOT=str(folder / "private"),
        STATIC_ROOT=str(folder / "static"),
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def worker_command(queue: str, *, drain: bool) -> list[str]:
    base = [processes.PYTHON, "manage.py"]
    if queue == "rq":
        # SimpleWorker runs jobs in its own process: no fork and fresh Django per job.
        return [
            *base,
            "rqworker",
            "default",
            "--worker-class",
            "rq.worker.SimpleWorker",
            *(["--burst"] if drain else []),
        ]
    return [*base, "db_worker", "--interval", "0.2", *(["--batch"] if drain else [])]


def run(args) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="pdsite-faults-"))
    folder.chmod(0o755)  # the private PostgreSQL runs as the postgres user
    services = []
    try:
        redis_url = ""
        if args.queue == "rq":
            redis = Redis(folder / "redis", processes.free_port())
            redis.start()
            services.append(redis)
            redis_url = redis.url
        if args.postgres:
            postgres = Postgres(folder / "pg", processes.free_port())
            postgres.start()
            services.append(postgres)
            database_url = postgres.url
        else:
            database_url = f"sqlite:///{folder / 'db.sqlite3'}"
        env = environment(folder, database_url=database_url, redis_url=redis_url)
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("seed_demo", "--force", env=env, capture=True)
        batch = django_call("prepare_bulk", args.count, env=env)
        print(f"prepared {args.count} completions ({batch})")

        rng = random.Random(args.seed)
        logs = folder / "logs"
        workers = [
            processes.start(
                worker_command(args.queue, drain=False), env=env, log=logs / f"worker{n}.log"
            )
            for n in range(args.workers)
        ]
        started = time.monotonic()
        approved = django_call("approve_bulk", batch, env=env)
        print(f"approved {approved} with one click; killing workers {args.kills} times")
        time.sleep(args.warmup)  # the workers have started and are busy
        for n in range(args.kills):
            time.sleep(rng.uniform(args.min_gap, args.max_gap))
            victim = rng.randrange(len(workers))
            kill(workers[victim])
            workers[victim] = processes.start(
                worker_command(args.queue, drain=False), env=env, log=logs / f"respawn{n}.log"
            )
        # Let the survivors finish what is queued, then stop them all.
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            status = django_call("bulk_status", batch, env=env)
            if status["tasks_waiting"] == 0 and status["tasks_stuck"] == 0:
                break
            if status["tasks_waiting"] == 0 and status["certificates"] == args.count:
                break
            time.sleep(1)
        for worker in workers:
            kill(worker)
        before = django_call("bulk_status", batch, env=env)
        before["seconds"] = round(time.monotonic() - started, 1)
        print("before the sweep:", json.dumps(before))

        sweeps = 0
        while sweeps < 5:
            sweeps += 1
            swept = manage(
                "repair", "--older-than", "0", "--stuck-after", "0", env=env, capture=True
            ).stdout.strip()
            print(f"sweep {sweeps}: {swept}")
            drain = processes.start(
                worker_command(args.queue, drain=True), env=env, log=logs / f"drain{sweeps}.log"
            )
            drain.wait(timeout=args.timeout)
            if all(part.endswith("=0") for part in swept.split()):
                break
        after = django_call("bulk_status", batch, env=env)
        after["seconds"] = round(time.monotonic() - started, 1)
        after["sweeps"] = sweeps
        print("after the sweep: ", json.dumps(after))
        return {"before": before, "after": after}
    finally:
        for service in services:
            service.stop()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def problems(result: dict, count: int) -> list[str]:
    after = result["after"]
    wrong = [
        f"{name}: {after[name]} (expected {expected})"
        for name, expected in [
            ("certificates", count),
            ("pdfs", count),
            ("emails", count),
            ("duplicate_certificates", 0),
            ("duplicate_emails", 0),
            ("emails_owed", 0),
            ("tasks_stuck", 0),
            ("tasks_waiting", 0),
        ]
        if after[name] != expected
    ]
    return wrong


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queue", choices=["db", "rq"], default="rq")
    parser.add_argument("--postgres", action="store_true", help="a private PostgreSQL, not SQLite")
    parser.add_argument("--min-gap", type=float, default=0.5, help="seconds between kills, min")
    parser.add_argument("--max-gap", type=float, default=2.0, help="seconds between kills, max")
    parser.add_argument("--warmup", type=float, default=3, help="seconds before the first kill")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    result = run(args)
    wrong = problems(result, args.count)
    for line in wrong:
        print("LOST OR DUPLICATED:", line)
    print("FAULT TEST", "FAILED" if wrong else "PASSED")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
