"""The API served on a free loopback port from a background thread of this process, for the
notebook (which pulls data over HTTP from it) and the browser tests. ``stop()`` ends it; it is
also a context manager."""
from __future__ import annotations

import socket
import threading
import time

import uvicorn

from api.app import create_app
from graph.store import GraphStore

HOST = "127.0.0.1"
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0


class LocalServer:
    """An ASGI app under a real uvicorn server on ``127.0.0.1``; the port is the kernel's choice,
    bound before the server starts, so no other process can take it in between."""

    def __init__(self, app, *, log_level: str = "warning"):
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind((HOST, 0))
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://{HOST}:{self.port}"
        self._server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, lifespan="on"))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name=f"newsgraph-api-{self.port}", daemon=True
        )

    def start(self, timeout: float = START_TIMEOUT_S) -> "LocalServer":
        """Start serving; returns once the server accepts requests."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                self._socket.close()
                raise RuntimeError(f"the API server on {self.url} exited before it started (see the log above)")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the API server on {self.url} did not start within {timeout:.0f} s")
            time.sleep(0.05)
        return self

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Stop serving and close the port (the app's lifespan shutdown runs)."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=timeout)
        self._socket.close()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve_store(store: GraphStore) -> LocalServer:
    """The API over ``store`` (left open when the server stops), started on a free loopback port;
    the other API settings (API key, ``POST /cypher``...) come from the environment."""
    return LocalServer(create_app(store.settings, store=store)).start()
