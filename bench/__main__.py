"""Run the benchmark: python -m bench --size small|medium|large|all

Builds its own database (Django's test-database machinery: `test_<name>` on
PostgreSQL, in-memory on SQLite), never the development one, and drops it after.
Every figure is printed beside a floor measured in the same run, in the same rounds
(measure_interleaved).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.urls import reverse

RESULTS = Path(__file__).resolve().parent / "results"
RUNS = {"small": 30, "medium": 20, "large": 15}


@dataclass
class Timed:
    """One row of the run: what one repetition does, and the floor it is divided by."""

    fn: Callable[[], object]
    floor: str | None = None  # None: the row is a floor itself
    # Writes the probe's state (an attempt, active time): timed after the round's reads.
    writes: bool = False
    # Reads the probe's cached course state, which a write makes stale: visited again,
    # untimed, after the round's writes, so every timed visit is a returning teacher's (as
    # when each page was timed in a block of its own).
    reads_probe_state: bool = False
    warmup: int = 3  # untimed calls first (caches filled, code paths imported)


def count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # a full log (9,000 entries) would count as zero
    with CaptureQueriesContext(connection) as queries:
        fn()
    # Counted now: every request start empties the log (django.db.reset_queries).
    return len(queries.captured_queries)


def summary(timings: list[float], queries: int) -> dict:
    timings = sorted(timings)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 2),
        "queries": queries,
    }


def measure_interleaved(rows: dict[str, Timed], runs: int) -> dict:
    """Time every row `runs` times, round-robin: each round makes one call of each row, so
    a row and its floor (or the peer's lesson) are timed seconds apart, not minutes, and a
    busy moment on the machine falls on all of them alike. The reads' order turns by one
    each round (no row always follows the same one); the writes come last in a round, then
    the pages they made stale are visited again untimed."""
    reads = [name for name, row in rows.items() if not row.writes]
    writes = [name for name, row in rows.items() if row.writes]
    settle = [name for name in reads if rows[name].reads_probe_state]
    # Writes first: by the time the reads are counted and timed, the submissions have
    # filled /reflections/' first page.
    queries = {}
    for name in writes + reads:
        for _ in range(rows[name].warmup):
            rows[name].fn()
        queries[name] = count_queries(rows[name].fn)
    for name in settle:
        rows[name].fn()
    timings: dict[str, list[float]] = {name: [] for name in rows}
    for round_number in range(runs):
        turn = round_number % len(reads)
        for name in reads[turn:] + reads[:turn] + writes:
            started = time.perf_counter()
            rows[name].fn()
            timings[name].append((time.perf_counter() - started) * 1000)
        for name in settle:
            rows[name].fn()
    return {name: summary(timings[name], queries[name]) for name in rows}


def pass_second_factor(client, user) -> None:
    """Coaches must use a second factor (accounts.middleware): give the bench's coach an
    authenticator app and leave the session as password plus code would, so the bench times
    the coach pages, not the redirect to the code page."""
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    from accounts.second_factor import give_totp_device, record_second_factor

    give_totp_device(user, generate_totp_secret())
    session = client.session
    record_second_factor(session, user)
    session.save()


def get(client, url, expect=200):
    def fetch():
        response = client.get(url)
        assert response.status_code == expect, (url, response.status_code)

    return fetch


def count_again(client, url):
    """The report page's "Count again" button, then the page it leads back to."""

    def press():
        assert client.post(url).status_code == 302, url
        assert client.get(url).status_code == 200, url

    return press


def run_size(size: str, *, bulk_issue: bool = True) -> dict:
    from django.db import connection, transaction
    from django.test import Client

    from bench import data as bench_data
    from bench import peer as bench_peer
    from bench import workers as bench_workers
    from certificates import issuer, openbadges
    from certificates.models import Certificate
    from certificates.rendering import (
        render_certificate,
        render_unsigned_certificate,
        sign_certificate_pdf,
    )
    from quizzes.selectors import REFLECTIONS_PER_PAGE

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        # One transaction: the database is a file (worker processes open it), and a commit
        # per INSERT batch made the build several times slower.
        with transaction.atomic():
            dataset = bench_data.build(size)
            peer_lesson = None
            if bench_peer.available():
                peer_lesson = bench_peer.build(
                    home=dataset.bare.get_parent(),
                    body_raw=list(dataset.bare.body.raw_data),
                    learner=dataset.probe,
                )
        runs = RUNS[size]
        probe = dataset.probe
        course = dataset.courses[0]
        module = dataset.probe_module
        certificate = Certificate.objects.filter(user=probe).first()
        unsigned_pdf = render_unsigned_certificate(certificate)

        def sign_credential():
            return issuer.sign(openbadges.build_credential(certificate))

        def sign_pdf():
            return sign_certificate_pdf(certificate, unsigned_pdf)

        anonymous = Client()
        teacher = Client()
        teacher.force_login(probe)
        coach = Client()
        coach.force_login(dataset.coaches[0])
        pass_second_factor(coach, dataset.coaches[0])
        admin = Client()
        admin_user = pd_admin_for_bench()
        admin.force_login(admin_user)
        pass_second_factor(admin, admin_user)
        matrix_url = reverse(
            "coaching:matrix", args=[dataset.cohorts[0].pk, dataset.assignments[0].pk]
        )

        floors = {
            "bare_page": Timed(get(anonymous, dataset.bare.url)),
            "bare_page_cached": Timed(get(anonymous, dataset.bare_cached.url)),
            "weasyprint_minimal": Timed(minimal_pdf),
        }

        def probe_page(url):
            return Timed(get(teacher, url), "bare_page", reads_probe_state=True)

        pages = {
            "catalogue": Timed(get(anonymous, "/courses/"), "bare_page"),
            "course_page": probe_page(course.url),
            "module_page": probe_page(module.url),
        }
        if peer_lesson is not None:
            # The closest peer's lesson page, same body, same learner, timed in the same
            # rounds as the module page and the bare page.
            pages["peer_wagtail_lms_lesson"] = Timed(get(teacher, peer_lesson.url), "bare_page")
        pages |= {
            # Warmed until its submissions fill /reflections/' first page.
            "quiz_submission": Timed(
                submit_quiz(teacher, module),
                "bare_page",
                writes=True,
                warmup=REFLECTIONS_PER_PAGE,
            ),
            "dashboard": probe_page("/dashboard/"),
            "reflections": probe_page("/reflections/"),
            "transcript": probe_page("/transcript/"),
            "coach_matrix": Timed(get(coach, matrix_url), "bare_page"),
            "coach_matrix_csv": Timed(get(coach, matrix_url + "export.csv"), "bare_page"),
            "verify": Timed(verify(anonymous, certificate.code), "bare_page"),
            "certificate_render": Timed(
                lambda: render_certificate(certificate), "weasyprint_minimal"
            ),
            # What signing adds to an issue (goal: at most 10 ms), beside the render it
            # sits in: the PDF without its signature, the Open Badges credential built and
            # signed (eddsa-rdfc-2022), the PAdES signature on that PDF, and both together.
            "certificate_render_unsigned": Timed(
                lambda: render_unsigned_certificate(certificate), "weasyprint_minimal"
            ),
            "credential_sign": Timed(sign_credential, "weasyprint_minimal"),
            "pdf_sign": Timed(sign_pdf, "weasyprint_minimal"),
            "signing_total": Timed(lambda: (sign_credential(), sign_pdf()), "weasyprint_minimal"),
        }
        # The PD administrators' reports over every teacher of the data set (no filter): the
        # query count must stay the same from small to large (growth table). `report_*` is
        # an administrator's view of the kept figures (reports.snapshots); `report_*_count`
        # presses "Count again" and views the page, which counts from every record.
        for slug in ("credit", "rates", "beliefs", "seat-time"):
            url = reverse("reports:report", args=[slug])
            pages[f"report_{slug.replace('-', '_')}"] = Timed(get(admin, url), "bare_page")
            pages[f"report_{slug.replace('-', '_')}_count"] = Timed(
                count_again(admin, url), "bare_page"
            )
        pages["seat_time_ping"] = Timed(
            seat_time_pinger(teacher, probe, module), "bare_page", writes=True
        )
        measured = measure_interleaved(floors | pages, runs)
        floors = {name: measured[name] for name in floors}
        rows = {}
        for name, row in pages.items():
            result = measured[name]
            result["floor"] = row.floor
            result["ratio"] = round(result["median_ms"] / floors[row.floor]["median_ms"], 2)
            rows[name] = result
        rows["seat_time_1000_pings"] = thousand_pings(teacher, probe, module, floors)
        peer = rows.get("peer_wagtail_lms_lesson")
        if peer is not None:
            rows["module_page"]["ratio_to_peer"] = round(
                rows["module_page"]["median_ms"] / peer["median_ms"], 2
            )
        return {
            "size": size,
            "bulk_issue": bench_workers.run(size) if bulk_issue else None,
            "date": date.today().isoformat(),
            "database": connection.vendor,
            "data": dataset.counts,
            "build_seconds": round(dataset.build_seconds, 1),
            "floors": floors,
            "pages": rows,
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def pd_admin_for_bench():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.roles import PD_ADMINS

    user = get_user_model().objects.create_user(
        email=f"bench-admin-{uuid.uuid4().hex[:8]}@example.org", password=None
    )
    user.groups.add(Group.objects.get_or_create(name=PD_ADMINS)[0])
    return user


def seat_time_pinger(client, user, module):
    """One batch of active time from the module page's script, each with the next number
    (an hour-old page view, so the clock cap lets a little through each time)."""
    from modules import seat_time

    token = seat_time.page_view_token(
        user=user,
        module=module,
        course=module.get_course(),
        now_ms=int(time.time() * 1000) - 3_600_000,
    )
    url = reverse("modules:active_time", args=[module.pk])
    numbers = itertools.count(1)

    def ping():
        response = client.post(url, {"token": token, "seq": next(numbers), "ms": 30_000})
        assert response.status_code == 204, response.status_code

    return ping


def thousand_pings(client, user, module, floors) -> dict:
    """1,000 batches as fast as the client sends them, half of them replays: the most
    queries any one cost (goal: at most 3), and the median time of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from modules import seat_time

    token = seat_time.page_view_token(
        user=user, module=module, course=module.get_course(), now_ms=int(time.time() * 1000)
    )
    url = reverse("modules:active_time", args=[module.pk])
    most, timings = 0, []
    for number in range(1000):
        # Even: the next batch; odd: the previous one sent again.
        batch = {"token": token, "seq": number // 2 + 1, "ms": 30_000}
        connection.queries_log.clear()  # each request empties it: count from zero
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, batch).status_code == 204
        timings.append((time.perf_counter() - started) * 1000)
        most = max(most, len(queries.captured_queries))
    timings.sort()
    median = round(statistics.median(timings), 2)
    return {
        "median_ms": median,
        "p95_ms": round(timings[949], 2),
        "queries": most,
        "floor": "bare_page",
        "ratio": round(median / floors["bare_page"]["median_ms"], 2),
    }


def submit_quiz(client, module):
    """A real submission of the module's quiz: every answer given, the choices wrong (so the
    module stays where it is), a fresh one-time token each time, as the form would send."""
    from quizzes import forms
    from quizzes.grading import quiz_questions

    data = {forms.QUESTION_FIELD: [], forms.TOKEN_FIELD: ""}
    for question in quiz_questions(module.quiz):
        data[forms.QUESTION_FIELD].append(question.id)
        if question.type == "multiple_choice":
            value = next(c.id for c in question.choices if not c.correct)
        elif question.type == "agreement":
            value = "3"
        else:
            value = "I will ask every student a question this week."
        data[forms.ANSWER_PREFIX + question.id] = value
    url = reverse("quizzes:answer_module_quiz", args=[module.pk])

    def submit():
        data[forms.TOKEN_FIELD] = str(uuid.uuid4())
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.status_code)

    return submit


def verify(client, code: str):
    """The public verify page. It allows 30 lookups per address per 10 minutes, so each
    run comes from its own address: the limiter still runs, it just never says no."""
    url = reverse("certificates:verify", args=[code])
    addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))

    def fetch():
        response = client.get(url, REMOTE_ADDR=next(addresses))
        assert response.status_code == 200, (url, response.status_code)

    return fetch


def minimal_pdf():
    from weasyprint import HTML

    HTML(string="<html lang='en'><body><h1>Floor</h1><p>One page.</p></body></html>").write_pdf()


def table(result: dict) -> str:
    lines = [
        f"### {result['size']} ({result['database']}): "
        + ", ".join(f"{k} {v:,}" for k, v in result["data"].items())
        + f"; built in {result['build_seconds']} s",
        "",
        "| page | median ms | p95 ms | queries | floor | floor median ms | ratio |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for name, row in result["pages"].items():
        floor = result["floors"][row["floor"]]
        lines.append(
            f"| {name} | {row['median_ms']} | {row['p95_ms']} | {row['queries']} | "
            f"{row['floor']} | {floor['median_ms']} | {row['ratio']} |"
        )
    if "ratio_to_peer" in result["pages"]["module_page"]:
        lines.append(
            f"| module_page ÷ peer_wagtail_lms_lesson | | | | | | "
            f"{result['pages']['module_page']['ratio_to_peer']} |"
        )
    for name, floor in result["floors"].items():
        lines.append(
            f"| (floor) {name} | {floor['median_ms']} | {floor['p95_ms']} | {floor['queries']} "
            "| | | 1.0 |"
        )
    if result["bulk_issue"]:
        lines += ["", bulk_issue_table(result["bulk_issue"])]
    return "\n".join(lines)


def bulk_issue_table(bulk: dict) -> str:
    one, two, cpu = bulk["bulk_issue_1_worker"], bulk["bulk_issue_2_workers"], bulk["cpu_floor"]
    lines = [
        f"Bulk issue of {one['completions']:,} completions through `db_worker` "
        f"(speed-up {bulk['speedup']}x; the machine's own speed-up for plain CPU work in "
        f"two processes, the floor: {cpu['speedup']}x)",
        "",
        "| workers | issue s | certificates/s | render median ms | wall s (with start-up) "
        "| worker CPU share | other programs (CPUs) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in (one, two):
        lines.append(
            f"| {row['workers']} | {row['issue_seconds']} | {row['certificates_per_second']} | "
            f"{row['render_median_ms']} | {row['wall_seconds']} | {row['worker_cpu_share']} | "
            f"{row['other_programs_cpus']} |"
        )
    return "\n".join(lines)


def growth_table(results: list[dict]) -> str:
    """How each page's cost grew from the smallest to the largest data set run. Compared as
    ratios to the same run's floor, so a busier machine during one size does not count as
    growth. Target (issue 18): at most 1.3x."""
    first, last = results[0], results[-1]
    lines = [
        f"### growth from {first['size']} to {last['size']} (ratio to floor, then and now)",
        "",
        "| page | queries then | queries now | ratio then | ratio now | growth |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, now in last["pages"].items():
        then = first["pages"][name]
        growth = round(now["ratio"] / then["ratio"], 2) if then["ratio"] else "-"
        lines.append(
            f"| {name} | {then['queries']} | {now['queries']} | {then['ratio']} | "
            f"{now['ratio']} | {growth} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=["small", "medium", "large", "all"], default="medium")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="time the pages only, not the bulk issue through db_worker (quicker iterations)",
    )
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pdsite.settings.bench"
    import django

    django.setup()
    sizes = ["small", "medium", "large"] if args.size == "all" else [args.size]
    RESULTS.mkdir(exist_ok=True)
    results = []
    for size in sizes:
        result = run_size(size, bulk_issue=not args.pages_only)
        path = RESULTS / f"{result['date']}-{size}.json"
        path.write_text(json.dumps(result, indent=2))
        print(table(result))
        print(f"\n(results written to {path})\n", flush=True)
        results.append(result)
    if len(results) > 1:
        print(growth_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
