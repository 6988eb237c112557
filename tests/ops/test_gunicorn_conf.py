"""pdsite/gunicorn.conf.py, as gunicorn itself reads it (the stack's start-up, `make
loadtest-short` in CI, serves through it for real)."""

import gc
from pathlib import Path

from gunicorn.app.base import Application

CONF = Path(__file__).resolve().parents[2] / "pdsite" / "gunicorn.conf.py"


class _App(Application):
    def init(self, parser, opts, args):
        return None

    def load(self):  # never called: only the configuration is read
        raise AssertionError


def _config():
    app = _App.__new__(_App)
    app.usage, app.callable, app.prog = None, None, None
    app.cfg = None
    app.load_default_config()
    app.load_config_from_file(str(CONF))
    return app.cfg


def test_gunicorn_reads_the_file_and_forks_workers_from_a_loaded_app():
    cfg = _config()
    assert cfg.preload_app is True
    assert cfg.max_requests == 5000 and cfg.max_requests_jitter == 500
    assert cfg.timeout == 30


def test_when_ready_parks_what_is_loaded_outside_the_collector():
    cfg = _config()
    gc.unfreeze()
    try:
        cfg.when_ready(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
