"""`cocoon serve` from its first instant: SIGTERM and SIGINT (Ctrl-C) ask the service to stop,
also while it is still starting (reading its settings, opening the database), so a stop at any
moment ends it cleanly with exit status 0 and no traceback.

This module imports only the standard library at the top: the signal handlers are in place
before the slow imports of the service and the use cases.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cocoon.app.installation import Installation
    from cocoon.service.logs import LogFormat


def stop_on_signals() -> threading.Event:
    """From now on SIGTERM and SIGINT set the returned event instead of ending the process."""
    stopping = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    return stopping


def serve(make_app: Callable[[], Installation], log_format: LogFormat = "json") -> None:
    """Run the service of the installation `make_app` makes until SIGTERM or SIGINT."""
    stopping = stop_on_signals()
    app = make_app()
    from cocoon.service.logs import setup_logging
    from cocoon.service.scheduler import Service  # APScheduler only for the service

    setup_logging(log_format)

    Service(app, stopping=stopping).run()


__all__ = ["serve", "stop_on_signals"]
