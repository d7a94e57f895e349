"""The files of practices, for every entry status, every edition phase and every role.

The rule (issue 11): a practice's photos are public only when the practice is public, i.e. one
of its entries has a public result (eligible and ranked in the published run of a published
or archived edition); its attachments are never public. The officers of the practice's
municipality and the organisers always reach both; a juror only while actively assigned (an
assignment to one of the practice's entries while still an accepted member of that edition's
jury). Everyone else gets 404: existence itself is private.

Each cell is one practice with one entry, one photo and one attachment, asked on the three
file routes: /files/practices/photos/<id>/, /files/practices/attachments/<id>/ and the
showcase's /showcase/photos/<id>/ (public photos only, for everyone).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from competitions.enums import Phase
from practices.enums import EntryStatus
from practices.models import Attachment, Photo
from scoring.models import JuryMember
from tests.factories import (
    AssignmentFactory,
    EntryFactory,
    JuryMemberFactory,
    PracticeFactory,
    ThematicAreaFactory,
    UserFactory,
)
from tests.portal.factories_showcase import (
    PublishedEditionFactory,
    RankingResultFactory,
    RankingRunFactory,
)
from tests.practices.factories_practices import PhotoFactory

from .conftest import MODEL_BACKEND, World, ask

pytestmark = pytest.mark.django_db

FILE_ROLES = ("anonymous", "officer_own", "officer_other", "juror_assigned", "juror_removed",
              "juror_unassigned", "organiser")
# (phase, whether the edition's run is published)
EDITIONS = {
    "open": (Phase.OPEN, False),
    "review": (Phase.REVIEW, False),
    "ranked": (Phase.RANKED, False),
    "published": (Phase.PUBLISHED, True),
    "published, no published run": (Phase.PUBLISHED, False),
    "archived": (Phase.ARCHIVED, True),
}
STATUSES = ("draft", "submitted", "withdrawn", "eligible, ranked", "eligible, insufficient "
            "reviews", "ineligible")
ROUTES = ("practice_photo_file", "practice_attachment_file", "showcase:photo")


@dataclass
class Cell:
    edition: str
    status: str
    photo: Photo
    attachment: Attachment

    @property
    def public(self) -> bool:
        """The rule, written out: a public result of a published run of a published or
        archived edition, for an eligible and ranked entry."""
        phase, run_published = EDITIONS[self.edition]
        return (phase in (Phase.PUBLISHED, Phase.ARCHIVED) and run_published
                and self.status == "eligible, ranked")


@dataclass
class FileWorld:
    users: dict[str, object]
    cells: list[Cell]


def _cell(*, edition, area, run, label: str, status: str, municipality, jurors) -> Cell:
    entry_status = {"draft": EntryStatus.DRAFT, "submitted": EntryStatus.SUBMITTED,
                    "withdrawn": EntryStatus.WITHDRAWN,
                    "ineligible": EntryStatus.INELIGIBLE}.get(status, EntryStatus.ELIGIBLE)
    practice = PracticeFactory(municipality=municipality,
                               title_en=f"Practice {label} / {status}")
    entry = EntryFactory(practice=practice, area=area, status=entry_status)
    if status == "eligible, ranked":
        RankingResultFactory(run=run, entry=entry, area=area, rank=1, place=1)
    elif status == "eligible, insufficient reviews":
        RankingResultFactory(run=run, entry=entry, area=area, rank=None, place=None,
                             sheet_count=0, flags=["insufficient_reviews"])
    for juror in (jurors["juror_assigned"], jurors["juror_removed"]):
        AssignmentFactory(entry=entry, juror=juror)
    attachment = Attachment.objects.create(
        practice=practice, file=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"),
        original_name="plan.pdf", content_type="application/pdf", size=13)
    return Cell(edition=label, status=status, photo=PhotoFactory(practice=practice),
                attachment=attachment)


def _build(world: World) -> FileWorld:
    jurors = {role: UserFactory(username=f"files_{role}")
              for role in ("juror_assigned", "juror_removed", "juror_unassigned")}
    cells = []
    for label, (phase, run_published) in EDITIONS.items():
        edition = PublishedEditionFactory(phase=phase)
        area = ThematicAreaFactory(edition=edition)
        run = RankingRunFactory(edition=edition, is_published=run_published)
        for juror in jurors.values():
            JuryMemberFactory(edition=edition, user=juror)
        cells += [_cell(edition=edition, area=area, run=run, label=label, status=status,
                        municipality=world.municipality_a, jurors=jurors)
                  for status in STATUSES]
        # Removed from the jury after the assignments were made: the assignments stay.
        JuryMember.objects.filter(edition=edition, user=jurors["juror_removed"]).delete()
    for juror in jurors.values():
        client = Client()
        client.force_login(juror, backend=MODEL_BACKEND)
        world.sessions[juror.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    users = {"anonymous": None, "officer_own": world.officer_a, "officer_other": world.officer_b,
             "organiser": world.users["organiser"], **jurors}
    return FileWorld(users=users, cells=cells)


@pytest.fixture(scope="module")
def file_world(world, django_db_blocker) -> Iterator[FileWorld]:
    with django_db_blocker.unblock():
        yield _build(world)


def expected(cell: Cell, route: str, role: str) -> int:
    if route == "showcase:photo":
        return 200 if cell.public else 404
    if route == "practice_photo_file" and cell.public:
        return 200
    return 200 if role in ("officer_own", "organiser", "juror_assigned") else 404


def _url(cell: Cell, route: str) -> str:
    if route == "showcase:photo":
        return reverse(route, kwargs={"pk": cell.photo.pk})
    item = cell.photo if route == "practice_photo_file" else cell.attachment
    return reverse(route, kwargs={"item_pk": item.pk})


def test_file_routes_for_every_status_phase_and_role(file_world: FileWorld, django_db_blocker):
    mismatches, asked = [], 0
    with django_db_blocker.unblock():
        for cell in file_world.cells:
            for route in ROUTES:
                url = _url(cell, route)
                for role in FILE_ROLES:
                    answer = ask(file_world.users[role], "GET", url)
                    asked += 1
                    want = expected(cell, route, role)
                    if answer.status != want:
                        mismatches.append(f"  {route:<25} {cell.edition:<28} {cell.status:<31} "
                                          f"{role:<17}: expected {want}, got {answer.status}")
    print(f"\n[file matrix] {len(EDITIONS)} editions x {len(STATUSES)} entry statuses x "
          f"{len(ROUTES)} routes x {len(FILE_ROLES)} roles = {asked} requests")  # noqa: T201
    assert mismatches == [], f"{len(mismatches)} mismatches (route, edition, entry status, " \
        "role):\n" + "\n".join(mismatches)


def test_file_matrix_has_public_cells_to_control_it(file_world: FileWorld):
    """The control: the matrix holds public practices (2: published and archived editions
    with a published run, eligible and ranked entry) and private ones."""
    public = [(cell.edition, cell.status) for cell in file_world.cells if cell.public]
    assert public == [("published", "eligible, ranked"), ("archived", "eligible, ranked")]
