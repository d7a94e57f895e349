"""What may stop an edition's move: checks the higher apps own, registered here.

`competitions` imports none of the apps above it, yet a move to review waits for the
eligibility decisions (practices) and a move to ranked for a computed ranking (scoring).
Each of those apps registers its checks in its `AppConfig.ready()`; the phase service and the
set-up lock ask here. A check takes the edition and the moment and returns what blocks, in
words an organiser can act on (empty: nothing blocks).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

Check = Callable[[Any, dt.datetime], list[str]]

# Set-up unlock: refused once any jury sheet is submitted (scoring registers the count).
SETUP_UNLOCK = "setup_unlock"

_CHECKS: dict[object, list[Check]] = defaultdict(list)


def register(key: object, check: Check) -> None:
    """Register `check` for a move `(source, target)` or for `SETUP_UNLOCK`; once per
    function, however often an app's `ready()` runs."""
    if check not in _CHECKS[key]:
        _CHECKS[key].append(check)


def blockers(key: object, edition, at: dt.datetime) -> list[str]:
    return [reason for check in _CHECKS.get(key, ()) for reason in check(edition, at)]
