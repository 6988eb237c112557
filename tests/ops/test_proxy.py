"""Through the real stack (nginx with TLS -> gunicorn, production settings): each client is
known by its own address, so one client's failed sign-ins lock out that client only.

Clients connect from distinct loopback addresses (127.0.0.2, 127.0.0.3, ...: all of
127.0.0.0/8 is this machine), so nginx sees each one's own address and appends it to
X-Forwarded-For, as it would for visitors on the internet.
"""

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import requests
import urllib3
from requests.adapters import HTTPAdapter

from ops.processes import free_port
from ops.stack import Stack

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="starts its own stack and database: already run in the SQLite pass",
)
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # our self-signed cert
LOCKED = "Too many failed login attempts"
WRONG = "are not correct"
PASSWORD = "pd-demo-2026"


@pytest.fixture(scope="module")
def stack():
    if not shutil.which("nginx"):
        pytest.fail("nginx is missing: `make sysdeps-test` installs it")
    run = Path(tempfile.mkdtemp(prefix="pdsite-proxy-"))
    stack = Stack(
        run=run,
        port=free_port(),
        app_port=free_port(),
        web_workers=2,
        task_workers=0,
        database_url=f"sqlite:///{run / 'db.sqlite3'}",
        use_redis=False,
        seed_demo=True,
    )
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(run, ignore_errors=True)


class SourceAddressAdapter(HTTPAdapter):
    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def browser(address):
    session = requests.Session()
    session.verify = False
    session.trust_env = False  # REQUESTS_CA_BUNDLE in the environment would undo verify=False
    session.mount("https://", SourceAddressAdapter(address))
    return session


def sign_in(stack, session, email, password, **headers):
    form = session.get(f"{stack.url}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return session.post(
        f"{stack.url}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": password},
        headers={"Referer": f"{stack.url}/accounts/login/", **headers},
        allow_redirects=False,
        timeout=30,
    )


def signed_in(response):
    return response.status_code == 302 and response.headers["Location"] == "/dashboard/"


def test_the_stack_serves_https_only_with_security_headers(stack):
    response = browser("127.0.0.1").get(f"{stack.url}/healthz", timeout=30)
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    home = browser("127.0.0.1").get(f"{stack.url}/", timeout=30)
    assert home.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert home.headers["X-Frame-Options"] == "DENY"
    assert re.fullmatch(r"[0-9a-f]{32}", home.headers["X-Request-ID"])  # nginx's $request_id
    static = browser("127.0.0.1").get(f"{stack.url}/static/css/site.css", timeout=30)
    assert static.status_code == 200 and "max-age" in static.headers["Cache-Control"]


def test_one_clients_failed_sign_ins_lock_out_that_client_only(stack):
    guesser, colleague = browser("127.0.0.2"), browser("127.0.0.3")
    # Fifty wrong passwords across made-up accounts: this address's ceiling is reached.
    for n in range(50):
        assert WRONG in sign_in(stack, guesser, f"guess{n}@example.org", "password123").text
    assert LOCKED in sign_in(stack, guesser, "teacher@example.com", PASSWORD).text
    # Claiming to be someone else in X-Forwarded-For changes nothing: nginx appends the real one.
    assert (
        LOCKED
        in sign_in(
            stack, guesser, "teacher@example.com", PASSWORD, **{"X-Forwarded-For": "127.0.0.9"}
        ).text
    )
    # Another client behind the same proxy signs in as usual.
    assert signed_in(sign_in(stack, colleague, "teacher@example.com", PASSWORD))


def test_five_wrong_passwords_lock_that_account_not_the_site(stack):
    teacher_at_school, someone_else = browser("127.0.0.4"), browser("127.0.0.5")
    for _ in range(5):
        assert WRONG in sign_in(stack, teacher_at_school, "maya.chen@example.com", "typo").text
    assert LOCKED in sign_in(stack, teacher_at_school, "maya.chen@example.com", PASSWORD).text
    assert signed_in(sign_in(stack, someone_else, "luis.ortega@example.com", PASSWORD))
    assert signed_in(sign_in(stack, browser("127.0.0.4"), "dev.patel@example.com", PASSWORD))
