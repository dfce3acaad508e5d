"""The embedded graph store: one ArcadeDB server per ``NEWSGRAPH_HOME``, reached over Bolt.

The server runs as a detached background process (``python -m graph.embedded serve``) so that
every ``newsgraph`` command, the API and the tests share it. Everything lives under the home::

    <home>/root-password   generated on first start, mode 0600
    <home>/server.json     state of the running server: pid, ports, version (written by it)
    <home>/server.lock     fcntl lock held while a server is checked, started or stopped
    <home>/ports.json      the ports of the last run, tried first so the URI stays stable
    <home>/server.log      the server process's own output
    <home>/store/          ArcadeDB's root (databases/, config/) and working dir (log/)

A state file whose pid is dead (``kill -9``) or whose Bolt port does not answer is stale: the
next caller replaces it by starting a new server on the same data. A server whose state file
no longer names it (the home was deleted) stops by itself.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import json
import os
import re
import secrets
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from graph.errors import ConfigError, StoreError, StoreUnavailable

HOST = "127.0.0.1"
PASSWORD_FILE = "root-password"
STATE_FILE = "server.json"
LOCK_FILE = "server.lock"
PORTS_FILE = "ports.json"
LOG_FILE = "server.log"
STORE_DIR = "store"
SERVER_MODULE = "graph.embedded"
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 30.0
LOCK_TIMEOUT_S = 120.0
# The JVM only takes what it needs; the cap keeps several servers on one machine bounded.
HEAP_ENV = "NEWSGRAPH_STORE_HEAP"
DEFAULT_HEAP = "2g"
BIND_ATTEMPTS = 5
DATABASE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class ServerState:
    pid: int
    bolt_port: int
    http_port: int
    https_port: int
    database: str
    version: str
    started_at: float

    @property
    def uri(self) -> str:
        return f"bolt://{HOST}:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://{HOST}:{self.http_port}"


# ---------------------------------------------------------------------------------------------
# Files of the home


def make_home(home: Path) -> None:
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"NEWSGRAPH_HOME {home} is not a usable directory: {error.strerror}", {"home": str(home)}) from None


def root_password(home: Path) -> str:
    """The root password of the home's server, generated (0600) on first use."""
    make_home(home)
    path = home / PASSWORD_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        password = path.read_text(encoding="utf-8").strip()
        if not password:
            raise StoreUnavailable(f"the password file {path} is empty; remove it together with {home / STORE_DIR} to start afresh", {"path": str(path)})
        return password
    password = secrets.token_urlsafe(24)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    return password


def read_state(home: Path) -> ServerState | None:
    try:
        data = json.loads((home / STATE_FILE).read_text(encoding="utf-8"))
        return ServerState(**data)
    except (OSError, ValueError, TypeError):
        return None


def _write_json_atomically(path: Path, data: dict) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)


@contextlib.contextmanager
def home_lock(home: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Exclusive lock of the home across processes (a start in progress holds it)."""
    make_home(home)
    with open(home / LOCK_FILE, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreUnavailable(
                        f"the embedded store in {home} is locked by another process for more than {timeout:.0f} s",
                        {"home": str(home)},
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---------------------------------------------------------------------------------------------
# Liveness


def pid_is_server(pid: int, home: Path | None = None) -> bool:
    """True when ``pid`` is a live (not zombie) embedded-store server process, of ``home`` when
    given (a recycled pid may belong to another home's server)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)  # reap our own dead child so it does not linger as a zombie
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    state = stat.rsplit(")", 1)[-1].split()[0]
    if state in ("Z", "X") or SERVER_MODULE.encode() not in arguments:
        return False
    return home is None or str(home).encode() in arguments


class ServerWatch:
    """Whether a server process, found to be the home's server once, is still alive: a poll of
    its pidfd (readable once the process has exited, and never about another process that
    reuses the pid), where :func:`pid_is_server` reads /proc twice. The store asks before every
    session, so the check must cost next to nothing."""

    def __init__(self, pid: int, home: Path):
        self._fd: int | None = None
        with contextlib.suppress(OSError):
            fd = os.pidfd_open(pid)
            if pid_is_server(pid, home):
                self._fd = fd
            else:
                os.close(fd)

    def alive(self) -> bool:
        if self._fd is None:
            return False
        poll = select.poll()  # one per call: a poll object refuses concurrent use by threads
        poll.register(self._fd, select.POLLIN)
        return not poll.poll(0)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def port_answers(port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def is_running(home: Path, state: ServerState | None) -> bool:
    return state is not None and pid_is_server(state.pid, home) and port_answers(state.bolt_port)


def running_state(home: Path) -> ServerState | None:
    """The state of the home's server when it runs and answers; None otherwise."""
    home = Path(home).resolve()
    state = read_state(home)
    return state if is_running(home, state) else None


# ---------------------------------------------------------------------------------------------
# Start and stop (client side)


def ensure_running(home: Path, database: str) -> ServerState:
    """Reuse the home's running server or start one; returns once Bolt answers and the
    database exists."""
    home = Path(home).resolve()
    state = running_state(home)
    if state is None:
        with home_lock(home):
            state = read_state(home)
            if not is_running(home, state):
                if state is not None:
                    _clear_stale(home, state)
                state = _start_locked(home, database)
    if database != state.database:
        ensure_database(state, root_password(home), database)
    return state


def http_command(url: str, password: str, path: str, payload: dict, user: str = "root") -> dict:
    """POST a command to ArcadeDB's HTTP API (``/api/v1/command/<db>``, ``/api/v1/server``)."""
    credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
    request = urllib.request.Request(
        f"{url}{path}",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Basic {credentials}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", errors="replace")
        try:
            detail = json.loads(body).get("detail") or body
        except ValueError:
            detail = body
        raise StoreError(f"ArcadeDB at {url} refused {payload.get('command')!r}: {detail}", {"url": url, "status": error.code}) from None
    except OSError as error:
        raise StoreUnavailable(f"cannot reach ArcadeDB's HTTP API at {url}: {error}", {"url": url}) from None


def ensure_database(state: ServerState, password: str, database: str) -> None:
    if not DATABASE_NAME.fullmatch(database):
        raise ConfigError(f"database name {database!r} is not usable: letters, digits, '_' and '-' only", {"database": database})
    listed = http_command(state.http_url, password, "/api/v1/server", {"command": "list databases"})
    if database not in listed.get("result", []):
        http_command(state.http_url, password, "/api/v1/server", {"command": f"create database {database}"})


def _clear_stale(home: Path, state: ServerState) -> None:
    """A server that lives but does not answer is killed; its state file goes either way."""
    if pid_is_server(state.pid, home):
        with contextlib.suppress(ProcessLookupError):
            os.kill(state.pid, signal.SIGKILL)
        _wait_for_exit(state.pid, STOP_TIMEOUT_S)
    (home / STATE_FILE).unlink(missing_ok=True)


def _start_locked(home: Path, database: str) -> ServerState:
    root_password(home)
    store_dir = home / STORE_DIR
    store_dir.mkdir(parents=True, exist_ok=True)
    log_path = home / LOG_FILE
    with open(log_path, "ab") as log:
        log.write(f"\n--- start {time.strftime('%Y-%m-%d %H:%M:%S')} ---\n".encode())
        log.flush()
        process = subprocess.Popen(
            [sys.executable, "-m", SERVER_MODULE, "serve", "--home", str(home), "--database", database],
            cwd=store_dir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StoreUnavailable(
                f"the embedded store in {home} failed to start (exit {process.returncode}); see {log_path}: {_log_tail(log_path)}",
                {"home": str(home), "log": str(log_path)},
            )
        state = read_state(home)
        if state is not None and state.pid == process.pid and port_answers(state.bolt_port):
            return state
        time.sleep(0.1)
    process.kill()
    process.wait()
    raise StoreUnavailable(
        f"the embedded store in {home} did not answer within {START_TIMEOUT_S:.0f} s; see {log_path}",
        {"home": str(home), "log": str(log_path)},
    )


def _log_tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    interesting = [line for line in text if "SEVER" in line or "Error" in line or "Exception" in line]
    return " | ".join((interesting or text)[-lines:])


def _wait_for_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_is_server(pid):
            return True
        time.sleep(0.05)
    return False


def stop(home: Path) -> ServerState | None:
    """Stop the home's server (SIGTERM, then SIGKILL after a timeout). Returns what was stopped."""
    home = Path(home).resolve()
    with home_lock(home):
        state = read_state(home)
        if state is None:
            return None
        _stop_locked(home, state)
        return state


def _stop_locked(home: Path, state: ServerState) -> None:
    if pid_is_server(state.pid, home):
        with contextlib.suppress(ProcessLookupError):
            os.kill(state.pid, signal.SIGTERM)
        if not _wait_for_exit(state.pid, STOP_TIMEOUT_S):
            with contextlib.suppress(ProcessLookupError):
                os.kill(state.pid, signal.SIGKILL)
            _wait_for_exit(state.pid, STOP_TIMEOUT_S)
    (home / STATE_FILE).unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# The server process


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
            return True
        except OSError:
            return False


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            probe.bind((HOST, 0))
            sockets.append(probe)
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def _candidate_ports(home: Path) -> Iterator[tuple[int, int, int]]:
    """The last run's ports when all are free (a stable URI), then fresh free ports."""
    try:
        last = json.loads((home / PORTS_FILE).read_text(encoding="utf-8"))
        previous = (int(last["bolt"]), int(last["http"]), int(last["https"]))
        if all(_port_is_free(port) for port in previous):
            yield previous
    except (OSError, ValueError, KeyError, TypeError):
        pass
    while True:
        yield tuple(_free_ports(3))  # type: ignore[misc]


def serve(home: Path, database: str) -> int:
    """Run the server until SIGTERM/SIGINT; the state file exists while it answers."""
    home = Path(home).resolve()
    stop_requested = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop_requested.set())
    signal.signal(signal.SIGINT, lambda *_: stop_requested.set())

    import arcadedb_embedded
    from arcadedb_embedded.exceptions import ArcadeDBError
    from arcadedb_embedded.server import ArcadeDBServer

    password = root_password(home)
    # -Xrs: the JVM leaves SIGTERM to us; its own shutdown hooks crash the embedding Python.
    jvm = {"heap_size": os.environ.get(HEAP_ENV, DEFAULT_HEAP), "jvm_args": "-Xrs"}
    server = None
    last_error: Exception | None = None
    for attempt, (bolt, http, https) in enumerate(_candidate_ports(home)):
        if attempt >= BIND_ATTEMPTS:
            break
        candidate = ArcadeDBServer(
            root_path=str(home / STORE_DIR),
            root_password=password,
            config={
                "host": HOST,
                "http_port": http,
                "server_httpsIncomingPort": https,
                "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
                "bolt_port": bolt,
            },
            jvm_kwargs=jvm,
        )
        try:
            candidate.start()
        except ArcadeDBError as error:  # most likely a port taken between probe and bind
            print(f"newsgraph: start on ports {bolt}/{http}/{https} failed: {error}", flush=True)
            last_error = error
            continue
        server = candidate
        break
    if server is None:
        print(f"newsgraph: could not start the server: {last_error}", file=sys.stderr, flush=True)
        return 1
    server.create_database(database)
    _write_json_atomically(home / PORTS_FILE, {"bolt": bolt, "http": http, "https": https})
    state = ServerState(
        pid=os.getpid(),
        bolt_port=bolt,
        http_port=http,
        https_port=https,
        database=database,
        version=str(arcadedb_embedded.__version__),
        started_at=time.time(),
    )
    _write_json_atomically(home / STATE_FILE, asdict(state))
    print(f"newsgraph: serving {state.uri} database {database!r} pid {state.pid}", flush=True)
    # Also stop when the state file no longer names us (twice running, to ride out a moment's
    # read error): the home was deleted or replaced, and a server without a home is an orphan.
    misses = 0
    while not stop_requested.wait(1.0):
        current = read_state(home)
        misses = 0 if current is not None and current.pid == state.pid else misses + 1
        if misses >= 2:
            print(f"newsgraph: {home / STATE_FILE} no longer names this server; stopping", flush=True)
            break
    server.stop()
    if (current := read_state(home)) is not None and current.pid == os.getpid():
        (home / STATE_FILE).unlink(missing_ok=True)
    print("newsgraph: server stopped", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.embedded", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="run the server in the foreground")
    serve_parser.add_argument("--home", type=Path, required=True)
    serve_parser.add_argument("--database", required=True)
    args = parser.parse_args(argv)
    return serve(args.home, args.database)


if __name__ == "__main__":
    sys.exit(main())
