"""/healthz, the friendly 500 and 503 pages, and the request id on logs and responses."""

import json
import logging

import pytest
from django.db import OperationalError
from django.test import Client

from pdsite import views

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_cache_and_queue_with_its_depth_and_oldest_age(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["cache"], body["queue"]) == (
        "ok",
        "ok",
        "ok",
        "ok",
    )
    assert body["queue_stats"] == {"depth": 0, "oldest_ready_age_seconds": 0.0}


def test_healthz_counts_waiting_tasks_on_the_database_queue(client, settings):
    from certificates.tasks import render_certificate_pdf

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    render_certificate_pdf.enqueue(certificate_id="00000000-0000-0000-0000-000000000000")
    render_certificate_pdf.enqueue(certificate_id="00000000-0000-0000-0000-000000000001")
    stats = client.get("/healthz").json()["queue_stats"]
    assert stats["depth"] == 2
    assert stats["oldest_ready_age_seconds"] >= 0


def test_healthz_is_503_when_the_queue_does_not_answer(client, monkeypatch):
    def broken():
        raise ConnectionError("redis is restarting")

    monkeypatch.setattr(views.queues, "ready_stats", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"] == "unreachable"


def failing_dashboard(monkeypatch, error):
    def boom(**kwargs):
        raise error

    monkeypatch.setattr(views, "dashboard_progress", boom)


def test_a_database_outage_shows_a_friendly_503_with_retry_after(teacher, monkeypatch):
    failing_dashboard(monkeypatch, OperationalError("the database system is shutting down"))
    client = Client(raise_request_exception=False)
    client.force_login(teacher)
    response = client.get("/dashboard/", HTTP_X_REQUEST_ID="req-0123456789")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "We will be back in a moment" in page
    assert "req-0123456789" in page
    assert "shutting down" not in page and "Traceback" not in page


def test_an_unexpected_error_shows_a_friendly_500_without_details(teacher, monkeypatch):
    failing_dashboard(monkeypatch, ValueError("secret internals"))
    client = Client(raise_request_exception=False)
    client.force_login(teacher)
    response = client.get("/dashboard/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "secret internals" not in page and "Traceback" not in page
    assert response["X-Request-ID"] in page  # the code to quote


def test_every_response_carries_a_request_id_and_logs_are_json_lines_with_it(client, caplog):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="from-the-proxy-42")
    assert response["X-Request-ID"] == "from-the-proxy-42"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert len(forged["X-Request-ID"]) == 32 and forged["X-Request-ID"].isalnum()

    from django.conf import settings
    from pythonjsonlogger.json import JsonFormatter

    from pdsite.requestid import RequestIdFilter, request_id

    config = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(config["fmt"], rename_fields=config["rename_fields"])
    token = request_id.set("abc12345")
    try:
        record = logging.LogRecord("certificates", logging.ERROR, __file__, 1, "boom", (), None)
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(formatter.format(record))
    assert (line["level"], line["logger"], line["request_id"], line["message"]) == (
        "ERROR",
        "certificates",
        "abc12345",
        "boom",
    )


def test_an_outage_while_a_page_renders_is_a_503_too(rf):
    """Wagtail pages render their template after the view returned: an outage there reaches
    the 500 handler, which answers 503 like the middleware does."""
    request = rf.get("/courses/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = views.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "We will be back in a moment" in response.content.decode()
