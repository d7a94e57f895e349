"""Case folding for the showcase search that works in Bulgarian on every database.

SQLite's LIKE and LOWER() fold ASCII letters only, so "тунджа" never matched "Тунджа".
Each SQLite connection gets a `portal_casefold` function (Python's `str.casefold`, which
folds every alphabet); PostgreSQL's LOWER() already folds Cyrillic in a UTF-8 locale.
"""

from django.db.models import Func, TextField


def _casefold(value):
    return None if value is None else str(value).casefold()


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Receiver of `connection_created`: adds `portal_casefold` to each SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("portal_casefold", 1, _casefold,
                                              deterministic=True)


class Casefold(Func):
    """The text with its case folded in every alphabet (compare with `str.casefold()`)."""

    function = "LOWER"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="portal_casefold",
                              **extra_context)
