"""The scoring app's Bulgarian catalog is complete: no empty or fuzzy translation."""

from pathlib import Path

import pytest
from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "scoring" / "locale" / "bg" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    """(msgid, [msgstr...], fuzzy) for every entry but the header."""
    for block in text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid, msgstrs, current = [], [], None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith("msgid "):
                current = msgid
                current.append(line[6:])
            elif line.startswith("msgid_plural "):
                current = []
            elif line.startswith("msgstr"):
                current = []
                msgstrs.append(current)
                current.append(line.split(" ", 1)[1])
            elif line.startswith('"') and current is not None:
                current.append(line)
        joined = "".join(part.strip('"') for part in msgid)
        if joined:
            yield joined, ["".join(p.strip('"') for p in s) for s in msgstrs], fuzzy


@pytest.mark.unit
def test_scoring_bulgarian_catalog_is_complete():
    entries = list(_entries(CATALOG.read_text(encoding="utf-8")))
    assert len(entries) > 200
    assert [msgid for msgid, msgstrs, fuzzy in entries if fuzzy or not all(msgstrs)] == []
    assert CATALOG.with_suffix(".mo").stat().st_mtime >= CATALOG.stat().st_mtime - 5
