"""An edition's slug is its address on the showcase (`/showcase/<slug>/`): it may not be the
address of another showcase page, or the edition would be hidden behind it."""

import re

import pytest
from django.core.exceptions import ValidationError

from competitions.validators import RESERVED_EDITION_SLUGS, validate_edition_slug
from portal.showcase import urls as showcase_urls
from tests.factories import EditionFactory


def _fixed_pages_like_an_edition() -> set[str]:
    words = set()
    for pattern in showcase_urls.urlpatterns:
        match = re.fullmatch(r"showcase/([a-z_-]+)/.*", str(pattern.pattern))
        if match:
            words.add(match.group(1))
    return words


def test_every_fixed_showcase_page_is_a_reserved_slug():
    assert _fixed_pages_like_an_edition() == {"map", "feed", "photos"}
    assert _fixed_pages_like_an_edition() <= RESERVED_EDITION_SLUGS


@pytest.mark.parametrize("slug", sorted(RESERVED_EDITION_SLUGS))
def test_reserved_slug_is_refused(slug):
    with pytest.raises(ValidationError) as error:
        validate_edition_slug(slug)
    assert error.value.code == "reserved"


@pytest.mark.django_db
def test_edition_with_a_reserved_slug_does_not_validate():
    edition = EditionFactory.build(slug="map")
    with pytest.raises(ValidationError) as error:
        edition.full_clean(exclude=["title", "submissions_open_at", "submissions_close_at",
                                    "review_open_at", "review_close_at"])
    assert "slug" in error.value.message_dict
    validate_edition_slug("bg-2016-2017")  # an ordinary slug passes
