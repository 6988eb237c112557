"""Run the benchmark: python -m bench --size small|medium|large|all

Builds its own database (Django's test-database machinery: `test_<name>` on
PostgreSQL, in-memory on SQLite), never the development one, and drops it after.
Every figure is printed beside a floor measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
RUNS = {"small": 30, "medium": 20, "large": 15}


def measure(fn, runs: int, warmup: int = 3) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        fn()
    connection.queries_log.clear()  # a full log (9,000 entries) would count as zero
    with CaptureQueriesContext(connection) as queries:
        fn()
    # Counted now: every request start empties the log (django.db.reset_queries).
    query_count = len(queries.captured_queries)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 2),
        "queries": query_count,
    }


def get(client, url, expect=200):
    def fetch():
        response = client.get(url)
        assert response.status_code == expect, (url, response.status_code)

    return fetch


def run_size(size: str) -> dict:
    from django.db import connection
    from django.test import Client

    from bench import data as bench_data
    from modules.selectors import course_progress

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        dataset = bench_data.build(size)
        runs = RUNS[size]
        teacher = dataset.teachers[0]
        course = dataset.courses[0]
        progress = course_progress(user=teacher, course=course)
        module = (progress.resume or progress.modules[0]).module

        anonymous = Client()
        signed_in = Client()
        signed_in.force_login(teacher)

        floors = {
            "bare_page": measure(get(anonymous, dataset.bare.url), runs),
            "bare_page_cached": measure(get(anonymous, dataset.bare_cached.url), runs),
            "weasyprint_minimal": measure(minimal_pdf, max(5, runs // 3), warmup=1),
        }
        pages = {
            "catalogue": (get(anonymous, "/courses/"), "bare_page"),
            "course_page": (get(signed_in, course.url), "bare_page"),
            "module_page": (get(signed_in, module.url), "bare_page"),
            "dashboard": (get(signed_in, "/dashboard/"), "bare_page"),
        }
        rows = {}
        for name, (fn, floor) in pages.items():
            result = measure(fn, runs)
            result["floor"] = floor
            result["ratio"] = round(result["median_ms"] / floors[floor]["median_ms"], 2)
            rows[name] = result
        return {
            "size": size,
            "date": date.today().isoformat(),
            "database": connection.vendor,
            "data": dataset.counts,
            "build_seconds": round(dataset.build_seconds, 1),
            "floors": floors,
            "pages": rows,
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


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
    for name, floor in result["floors"].items():
        lines.append(
            f"| (floor) {name} | {floor['median_ms']} | {floor['p95_ms']} | {floor['queries']} "
            "| | | 1.0 |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=["small", "medium", "large", "all"], default="medium")
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pdsite.settings.bench"
    import django

    django.setup()
    sizes = ["small", "medium", "large"] if args.size == "all" else [args.size]
    RESULTS.mkdir(exist_ok=True)
    for size in sizes:
        result = run_size(size)
        path = RESULTS / f"{result['date']}-{size}.json"
        path.write_text(json.dumps(result, indent=2))
        print(table(result))
        print(f"\n(results written to {path})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
