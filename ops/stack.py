"""The production stack on this machine, started by one command (`make serve-prod`):

    nginx (TLS, 127.0.0.1:SERVE_PORT) -> gunicorn (WEB_WORKERS) -> PostgreSQL
                                               \\-> Redis: cache, sessions (cached_db), RQ
    TASK_WORKERS RQ workers, and a scheduler running the repair sweep every minute.

Configuration comes from the environment, as on real servers (docs/deploy.md). Without
DATABASE_URL or REDIS_URL it starts a private PostgreSQL cluster and redis-server in the run
folder (RUN_DIR, default .run/prod), so it needs nothing but Debian's packages. BASE_URL
defaults to https://127.0.0.1:SERVE_PORT with a self-signed certificate made on first start.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import processes
from .processes import Postgres, Redis, manage

TEMPLATE = Path(__file__).with_name("nginx.conf.template")


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass
class Stack:
    run: Path = field(default_factory=lambda: Path(os.environ.get("RUN_DIR") or ".run/prod"))
    host: str = "127.0.0.1"
    port: int = field(default_factory=lambda: env_int("SERVE_PORT", 8443))
    app_port: int = field(default_factory=lambda: env_int("APP_PORT", 8001))
    web_workers: int = field(default_factory=lambda: env_int("WEB_WORKERS", 2))
    task_workers: int = field(default_factory=lambda: env_int("TASK_WORKERS", 2))
    pg_port: int = field(default_factory=lambda: env_int("PG_PORT", 5433))
    redis_port: int = field(default_factory=lambda: env_int("REDIS_PORT", 6380))
    database_url: str = field(default_factory=lambda: os.environ.get("DATABASE_URL", ""))
    redis_url: str = field(default_factory=lambda: os.environ.get("REDIS_URL", ""))
    use_redis: bool = True
    seed_demo: bool = field(default_factory=lambda: os.environ.get("SEED_DEMO") == "1")
    extra_env: dict = field(default_factory=dict)
    # The code it serves: this checkout, or another commit's worktree (ops.compare).
    root: Path = processes.ROOT
    postgres: Postgres | None = None
    redis: Redis | None = None
    web: subprocess.Popen | None = None
    nginx: subprocess.Popen | None = None
    scheduler: subprocess.Popen | None = None
    workers: list = field(default_factory=list)

    def __post_init__(self):
        self.run = self.run.resolve()

    def manage(self, *args, capture=False):
        return manage(*args, env=self.env(), capture=capture, cwd=self.root)

    def call(self, function: str, *args):
        """`ops.scenario.<function>(*args)` of the served code, in a Django process."""
        return processes.django_call(function, *args, env=self.env(), cwd=self.root)

    def start_process(self, args, log_name: str):
        return processes.start(args, env=self.env(), log=self.run / "logs" / log_name,
                               cwd=self.root)

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"

    # --- configuration ---------------------------------------------------------------------

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        key_file = self.run / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        env.update(
            DJANGO_SETTINGS_MODULE="pdsite.settings.production",
            SECRET_KEY=os.environ.get("SECRET_KEY") or key_file.read_text(),
            BASE_URL=os.environ.get("BASE_URL") or self.url,
            ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS") or f"{self.host},localhost",
            TRUSTED_PROXY_COUNT=os.environ.get("TRUSTED_PROXY_COUNT") or "1",
            DATABASE_URL=self.database_url,
            EMAIL_URL=os.environ.get("EMAIL_URL") or f"file://{self.run / 'mail'}",
            STATIC_ROOT=str(self.run / "static"),
            MEDIA_ROOT=os.environ.get("MEDIA_ROOT") or str(self.run / "media"),
            PRIVATE_MEDIA_ROOT=os.environ.get("PRIVATE_MEDIA_ROOT") or str(self.run / "private"),
            PYTHONUNBUFFERED="1",
        )
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        else:
            env.pop("REDIS_URL", None)
        env.update(self.extra_env)
        return env

    # --- starting ----------------------------------------------------------------------------

    def start(self) -> None:
        self.run.mkdir(parents=True, exist_ok=True)
        self.run.chmod(0o755)
        (self.run / "mail").mkdir(exist_ok=True)
        if not self.database_url:
            self.postgres = Postgres(self.run / "pg", self.pg_port)
            self.postgres.start()
            self.database_url = self.postgres.url
        if self.use_redis and not self.redis_url:
            self.redis = Redis(self.run / "redis", self.redis_port)
            self.redis.start()
            self.redis_url = self.redis.url
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.manage("check", "--deploy", "--fail-level", "WARNING", capture=True)
        if self.seed_demo:
            self.manage("seed_demo", "--force", capture=True)
        self.start_web()
        for _ in range(self.task_workers):
            self.start_worker()
        self.scheduler = self.start_process(
            [processes.PYTHON, "manage.py", "repair", "--every", "60"], "scheduler.log"
        )
        self.start_nginx()

    def start_web(self) -> None:
        self.web = self.start_process(
            [
                processes.PYTHON, "-m", "gunicorn", "pdsite.wsgi:application",
                # Preload, worker restarts, timeouts: the deployment's settings, from this checkout
                # whatever code the stack serves (a compared commit runs the same gunicorn).
                "--config", str(processes.ROOT / "pdsite" / "gunicorn.conf.py"),
                "--workers", str(self.web_workers),
                "--bind", f"127.0.0.1:{self.app_port}",
                # Its own control socket: two stacks on one machine must not share one.
                "--control-socket", str(self.run / "gunicorn.ctl"),
            ],
            "gunicorn.log",
        )
        processes.wait_for_port(self.app_port, timeout=60)

    def worker_command(self) -> list[str]:
        if self.redis_url:
            return [processes.PYTHON, "manage.py", "rqworker", "default",
                    "--worker-class", "rq.worker.SimpleWorker"]
        return [processes.PYTHON, "manage.py", "db_worker", "--interval", "0.5"]

    def start_worker(self) -> subprocess.Popen:
        worker = self.start_process(self.worker_command(), f"worker{len(self.workers)}.log")
        self.workers.append(worker)
        return worker

    def start_nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        folder = self.run / "nginx"
        for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "pages"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        shutil.copy(self.root / "templates" / "errors" / "static-503.html",
                    folder / "pages" / "503.html")
        user = ""
        if os.geteuid() == 0:  # nginx's workers drop to nobody: let them use the temp folders
            user = "user nobody nogroup;"
            for path in (folder / "tmp").rglob("*"):
                shutil.chown(path, "nobody", "nogroup")
            shutil.chown(folder / "tmp", "nobody", "nogroup")
        tls = self.run / "tls"
        if not (tls / "cert.pem").exists():
            tls.mkdir(exist_ok=True)
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                 "-subj", f"/CN={self.host}", "-addext", f"subjectAltName=IP:{self.host}",
                 "-keyout", str(tls / "key.pem"), "-out", str(tls / "cert.pem")],
                check=True, capture_output=True,
            )
        conf = folder / "nginx.conf"
        conf.write_text(
            TEMPLATE.read_text().format(
                run=self.run, user=user, host=self.host, port=self.port,
                app_port=self.app_port, static_root=self.run / "static",
            )
        )
        self.nginx = processes.start(
            [nginx, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"],
            env=os.environ.copy(), log=self.run / "logs" / "nginx.log",
        )
        processes.wait_for_port(self.port)

    # --- faults and stopping -----------------------------------------------------------------

    def kill_worker(self, index: int) -> None:
        """SIGKILL a task worker (and anything it forked) and start a fresh one in its place."""
        processes.kill(self.workers[index])
        self.workers[index] = self.start_process(
            self.worker_command(), f"worker{index}-{time.time():.0f}.log"
        )

    def stop(self) -> None:
        for process in [self.nginx, self.web, self.scheduler, *self.workers]:
            if process is not None:
                processes.stop(process)
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.stop()


def main() -> int:
    stack = Stack()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        stack.start()
        print(
            f"Serving {stack.url}/ through nginx -> gunicorn ({stack.web_workers} workers), "
            f"{stack.task_workers} task workers, repair sweep every minute.\n"
            f"Database {stack.database_url}  Redis {stack.redis_url or '(none)'}\n"
            f"Logs in {stack.run / 'logs'}; emails in {stack.run / 'mail'}. Ctrl-C stops it all.",
            flush=True,
        )
        while not stopping:
            if stack.web.poll() is not None or stack.nginx.poll() is not None:
                print("gunicorn or nginx stopped; see the logs", file=sys.stderr)
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
