"""A ranking run's record of its set-up, as the pages read it: plain objects built from the
run's snapshot, with the attributes the templates read from the live models (`pk`, `code`,
`display_title`, `weight`, `guidance_text`, `rubric`). A leaf module: no query."""

from __future__ import annotations

from dataclasses import dataclass, field

from competitions.models import LocalizedMixin


@dataclass
class RubricLevelRecord(LocalizedMixin):
    score: int
    description: str
    description_en: str = ""

    @property
    def text(self) -> str:
        return self.localized("description")


@dataclass
class CriterionRecord(LocalizedMixin):
    """A criterion as a run recorded it (the attributes the pages read from Criterion)."""

    id: int
    order: int
    weight: float
    title: str
    title_en: str = ""
    guidance: str = ""
    guidance_en: str = ""
    rubric: list[RubricLevelRecord] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def guidance_text(self) -> str:
        return self.localized("guidance")


@dataclass
class AreaRecord(LocalizedMixin):
    """A thematic area as a run recorded it."""

    id: int
    code: str
    order: int
    awards: int
    title: str
    title_en: str = ""
    description: str = ""
    description_en: str = ""

    @property
    def pk(self) -> int:
        return self.id

    def __str__(self) -> str:
        return f"{self.code}. {self.display_title}"


def area_record(item: dict) -> AreaRecord:
    return AreaRecord(id=item["id"], code=item["code"], order=item["order"],
                      awards=item["awards"], title=item["title"],
                      title_en=item.get("title_en", ""),
                      description=item.get("description", ""),
                      description_en=item.get("description_en", ""))


def recorded_item(snapshot, kind: str, item_id: int) -> dict | None:
    """The area or criterion (`kind`: "areas" or "criteria") `item_id` as a run's snapshot
    recorded it; None when the run recorded none (or not this one)."""
    if not isinstance(snapshot, dict):
        return None
    return next((item for item in snapshot.get(kind) or () if item.get("id") == item_id), None)
