"""Starting and killing the stack's processes. Each runs in its own session (process group),
so SIGKILL takes down a worker with the children it forked, as a machine dying would."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


_handed_out: set[int] = set()


def free_port() -> int:
    """A free port on 127.0.0.1: any the system offers, or with PORT_RANGE=FIRST-LAST (a
    machine shared by several people, each given their own ports) the first free one in it
    not already handed out by this process (a stack asks for several before binding any)."""
    if not os.environ.get("PORT_RANGE"):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]
    first, last = (int(part) for part in os.environ["PORT_RANGE"].split("-"))
    for port in range(first, last + 1):
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free port left in PORT_RANGE={os.environ['PORT_RANGE']}")


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {timeout:.0f} s")


def start(args, *, env, log: Path, cwd: Path = ROOT) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        return subprocess.Popen(
            args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    """Signal the whole process group (a worker and the work-horse it forked)."""
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        kill(process, signal.SIGTERM)


def manage(*args, env, check=True, capture=False, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`manage.py` of the code in `cwd` (by default this checkout; another commit's worktree
    when ops.compare runs the code before a change)."""
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=cwd,
        env=env,
        check=check,
        capture_output=capture,
        text=True,
    )


def django_call(function: str, *args, env, cwd: Path = ROOT) -> object:
    """Run `ops.scenario.<function>(*args)` in a Django process with `env`, from the code in
    `cwd` (its own ops.scenario); its JSON result."""
    code = (
        "import json, sys, django; django.setup(); from ops import scenario; "
        f"print('RESULT ' + json.dumps(scenario.{function}(*json.loads(sys.argv[1]))))"
    )
    done = subprocess.run(
        [PYTHON, "-c", code, json.dumps(args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"ops.scenario.{function} failed:\n{done.stderr[-3000:]}")
    line = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")][-1]
    return json.loads(line.removeprefix("RESULT "))


class Redis:
    """A private redis-server (append-only file on), so restarting it disturbs nobody else."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = start(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
            ],
            env=os.environ.copy(),
            log=self.folder / "redis.log",
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # SHUTDOWN flushes the append-only file, as `systemctl restart redis` would.
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "shutdown"], capture_output=True, check=False
            )
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                kill(self.process)

    def restart(self) -> None:
        self.stop()
        self.start()


class Postgres:
    """A private PostgreSQL cluster on its own port, so it can be restarted under load."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        if not bins:
            raise RuntimeError(
                "PostgreSQL's server binaries are missing: apt-get install postgresql"
            )
        self.bin = bins[-1]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/pdsite"

    def _run(self, *args, check=True):
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check)

    def start(self) -> None:
        data = self.folder / "data"
        if not data.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.folder, "postgres", "postgres")
            self._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._run(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(self.folder / "postgres.log"),
            "-w",
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c max_connections=200 -c fsync=on",
            "start",
        )
        created = self._run(
            "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "pdsite",
            check=False,
        )
        if created.returncode and "already exists" not in created.stderr:
            raise RuntimeError(created.stderr)

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop", check=False)

    def restart(self) -> None:
        self.stop()
        self.start()
