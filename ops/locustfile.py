"""Locust users for `make loadtest` (ops/loadtest.py starts Locust headless with this file).

Teachers sign in, read module pages, save drafts, submit quizzes (a fresh idempotency key per
submission, retried with the same key on an error as a browser resubmitting would) and open
My learning; a coach opens the progress matrix; anonymous visitors verify certificates.
LOAD_PAGE=module keeps only teachers reading module pages (one page type, for speed work).
LOAD_SATURATE=1 drops the think time: each user asks for the next page as soon as one arrives.
The data (accounts, URLs, answers) comes from LOAD_DATA, written by ops.scenario.prepare_load.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import uuid

from locust import HttpUser, between, constant, task

DATA = json.loads(open(os.environ["LOAD_DATA"]).read())
PAGE = os.environ.get("LOAD_PAGE", "")
SUBMISSIONS = os.environ["LOAD_SUBMISSIONS"]
_teachers = itertools.cycle(DATA["teachers"])
_lock = threading.Lock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RETRIES = 5
# A person pauses between pages. Without the pause (LOAD_SATURATE) the users keep the server
# busy all the time, so its speed, not their pauses, bounds the throughput (ops.compare).
THINK = constant(0) if os.environ.get("LOAD_SATURATE") else between(0.5, 2)


def client_address() -> str:
    """Each simulated person has their own address, as an outer load balancer would report it
    (ops.loadtest runs the stack with TRUSTED_PROXY_COUNT=2): otherwise every user shares one
    per-address allowance (sign-in ceiling, /verify/ limit). Only a header value: nothing is
    sent to it. 198.51.100.0/24 is reserved for documentation."""
    return f"198.51.100.{random.randint(1, 254)}"


def record_submission(key: str, tries: int) -> None:
    with _lock, open(SUBMISSIONS, "a") as out:
        out.write(json.dumps({"key": key, "tries": tries}) + "\n")


class SignedIn(HttpUser):
    abstract = True
    wait_time = THINK

    def on_start(self):
        self.client.verify = False  # the stack's self-signed certificate
        self.client.headers["X-Forwarded-For"] = client_address()
        self.sign_in()

    def sign_in(self):
        for _ in range(RETRIES):
            page = self.client.get("/accounts/login/", name="sign in (form)")
            found = CSRF.search(page.text or "")
            if not found:
                continue
            done = self.client.post(
                "/accounts/login/",
                {"csrfmiddlewaretoken": found.group(1), "login": self.email,
                 "password": DATA["password"]},
                headers={"Referer": self.host + "/accounts/login/"},
                name="sign in",
            )
            if done.ok and "/accounts/login/" not in done.url:
                return

    def csrf(self):
        return self.client.cookies.get("csrftoken", "")


class Teacher(SignedIn):
    weight = 8

    def on_start(self):
        with _lock:
            self.email = next(_teachers)
        super().on_start()

    @task(6)
    def read_module(self):
        module = random.choice(DATA["modules"])
        self.client.get(module["url"], name="module page")

    @task(2 if not PAGE else 0)
    def dashboard(self):
        self.client.get("/dashboard/", name="my learning")

    @task(1 if not PAGE else 0)
    def save_draft(self):
        module = random.choice(DATA["modules"])
        data = {**module["answers"], "action": "draft", "csrfmiddlewaretoken": self.csrf()}
        with self.client.post(module["quiz_url"], data, name="save draft", catch_response=True,
                              allow_redirects=False,
                              headers={"Referer": self.host + module["url"]}) as response:
            if response.status_code != 302:
                response.failure(f"not saved: {response.status_code}")

    @task(2 if not PAGE else 0)
    def submit_quiz(self):
        module = random.choice(DATA["modules"])
        key = str(uuid.uuid4())
        for tries in range(1, RETRIES + 1):
            data = {**module["answers"], DATA["token_field"]: key,
                    "csrfmiddlewaretoken": self.csrf()}
            # Stored: a redirect to the result. A page re-shown (200), a redirect elsewhere
            # (sign-in, a locked module) or an error is not.
            with self.client.post(module["quiz_url"], data, name="submit quiz",
                                  catch_response=True, allow_redirects=False,
                                  headers={"Referer": self.host + module["url"]}) as response:
                if response.headers.get("Location", "").endswith("#quiz-results"):
                    record_submission(key, tries)
                    return
                response.failure(f"not stored: {response.status_code}")
            self.wait()  # a person waits a moment before pressing Submit again


class Coach(SignedIn):
    weight = 0 if PAGE else 1
    email = "coach@example.com"

    @task
    def matrix(self):
        if DATA["matrix"]:
            self.client.get(DATA["matrix"], name="coach matrix")


class Verifier(HttpUser):
    weight = 0 if PAGE else 2
    wait_time = THINK

    def on_start(self):
        self.client.verify = False

    @task
    def verify(self):
        if DATA["codes"]:
            # Each lookup is another visitor (an HR officer, a licensing clerk): its own
            # address. One address looking up every second would rightly meet the verify
            # limit (30 per 10 minutes), which is not what this scenario measures.
            self.client.get(
                f"/verify/{random.choice(DATA['codes'])}/",
                name="verify",
                headers={"X-Forwarded-For": client_address()},
            )
