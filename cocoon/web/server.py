"""Serving the field app with waitress (a pure-Python WSGI server), until stopped.

`WebServer.stop()` may be called from any thread or a signal handler: the close runs in the
server's own loop, and requests in progress finish first.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

from waitress.server import create_server

log = logging.getLogger("cocoon.web")


class WebServer:
    """One waitress server on a host and port (0: a free port, for tests)."""

    def __init__(self, wsgi: Any, host: str, port: int, threads: int = 4) -> None:
        self.server = create_server(
            wsgi, host=host, port=port, threads=threads, ident="cocoon", expose_tracebacks=False
        )
        self._stopped = threading.Event()

    @property
    def address(self) -> tuple[str, int]:
        """Where it listens (the port a port of 0 was given)."""
        host, port = self.server.socket.getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://{host}:{port}"

    def run(self) -> None:
        """Serve until `stop()`; then let the requests in progress finish."""
        try:
            self.server.run()
        finally:
            self.server.task_dispatcher.shutdown(cancel_pending=False, timeout=30)
            self._stopped.set()

    def stop(self) -> None:
        if self._stopped.is_set():
            return
        from waitress import wasyncore

        with contextlib.suppress(OSError):  # the loop has closed already
            self.server.trigger.pull_trigger(lambda: wasyncore.close_all(self.server._map))

    def wait(self, timeout: float | None = None) -> bool:
        return self._stopped.wait(timeout)
