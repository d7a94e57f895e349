"""Run calls at the same moment in real threads, each on its own database connection.

Only PostgreSQL makes such races mean something (SQLite serialises every writer): the race
tests skip themselves elsewhere, saying why, and CI runs them on PostgreSQL.
"""

import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from tests import tally

# The marks of a module of race tests: real transactions, on PostgreSQL only.
RACE_MARKS = [
    pytest.mark.integration,
    pytest.mark.race,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks only race on PostgreSQL; CI runs this there"),
]


def race(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at once; return what each returned or raised, in the order given."""
    tally.count("races run in threads")
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "a racing call never finished"
    return outcomes
