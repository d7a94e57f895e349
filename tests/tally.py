"""What the security tests did in this run, counted as they do it and printed at the end of
the run (`pytest_terminal_summary` in tests/conftest.py): the README's security figures come
from that summary, not from reckoning."""

import os
from collections import Counter

TALLY: Counter = Counter()

# test module -> what its requests are called in the summary
REQUEST_KINDS = {
    "test_permission_matrix": "permission-matrix requests",
    "test_forms_fuzz": "form-fuzz requests",
}


def count(kind: str, n: int = 1) -> None:
    TALLY[kind] += n


def count_request() -> None:
    """A request of the security tests, counted under the kind of the running test's
    module (PYTEST_CURRENT_TEST is 'tests/security/test_x.py::test_y (call)')."""
    current = os.environ.get("PYTEST_CURRENT_TEST", "")
    module = current.split("::", 1)[0].rsplit("/", 1)[-1].removesuffix(".py")
    count(REQUEST_KINDS.get(module, "other security requests"))


def summary(race_tests_passed: int, race_tests_failed: int) -> str | None:
    """One line of figures, or None when no security test ran."""
    figures = [f"{n:,} {kind}" for kind, n in sorted(TALLY.items())]
    if race_tests_passed or race_tests_failed:
        figures.append(f"{race_tests_passed} race tests passed, {race_tests_failed} failed")
    return "security figures: " + "; ".join(figures) if figures else None
