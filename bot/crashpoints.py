"""Test-only crash points: ONDUTY_CRASH_AT names where the process kills itself, as SIGKILL would;
fault points: ONDUTY_FAULT_AT names where an exception stands for a bug or an outage.

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


def _hit(spec: str, hits: dict[str, int], name: str) -> bool:
    """Count this passage of `name`; True when `spec` ("a", "a:2", "a,b:3") names this passage."""
    hits[name] += 1
    for part in spec.split(","):
        point, _, nth = part.strip().partition(":")
        if point == name and hits[name] == (int(nth) if nth.isdigit() else 1):
            return True
    return False


def crash_point(name: str) -> None:
    """Test-only: when ONDUTY_CRASH_AT names this point ("after_send", or "after_send:2" for the
    second time it is reached; several separated by commas), the process kills itself like SIGKILL."""
    spec = os.environ.get(CRASH_ENV)
    if not spec or not _hit(spec, _crash_hits, name):
        return
    log.warning("ONDUTY_CRASH_AT=%s: killing the process at %s", spec, name)
    logging.shutdown()
    try:
        os.kill(os.getpid(), signal.SIGKILL)
    finally:
        os._exit(137)


FAULT_ENV = "ONDUTY_FAULT_AT"
_fault_hits: dict[str, int] = defaultdict(int)


class InjectedFault(RuntimeError):
    """Raised by `fault_point`: stands for a bug or an outage in the code after the point."""


def fault_point(name: str) -> None:
    """Test-only: when ONDUTY_FAULT_AT names this point (same "name:n" syntax as crash points), raise
    InjectedFault there instead of killing the process — to show what a failure in that code costs."""
    spec = os.environ.get(FAULT_ENV)
    if spec and _hit(spec, _fault_hits, name):
        raise InjectedFault(f"{FAULT_ENV}={spec}: fault at {name}")


def reset_faults() -> None:
    """Tests: count fault points from zero again."""
    _fault_hits.clear()
