"""Test-only crash points: ONDUTY_CRASH_AT names where the process kills itself, as SIGKILL would.

Used by the crash tests that run `onduty run` as a subprocess; unset in production, where
`crash_point` is a dictionary lookup and nothing else.
"""

from __future__ import annotations

import logging
import os
import signal
from collections import defaultdict

log = logging.getLogger("onduty.crash")
CRASH_ENV = "ONDUTY_CRASH_AT"
_crash_hits: dict[str, int] = defaultdict(int)


def crash_point(name: str) -> None:
    """Test-only: when ONDUTY_CRASH_AT names this point ("after_send", or "after_send:2" for the
    second time it is reached; several separated by commas), the process kills itself like SIGKILL."""
    spec = os.environ.get(CRASH_ENV)
    if not spec:
        return
    _crash_hits[name] += 1
    for part in spec.split(","):
        point, _, nth = part.strip().partition(":")
        if point == name and _crash_hits[name] == (int(nth) if nth.isdigit() else 1):
            log.warning("ONDUTY_CRASH_AT=%s: killing the process at %s", spec, name)
            logging.shutdown()
            try:
                os.kill(os.getpid(), signal.SIGKILL)
            finally:
                os._exit(137)
