import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Sofia."),
            params={"value": value},
        )


# Pages under /showcase/ whose address looks like an edition's (`showcase/<slug>/`): an
# edition with one of these slugs would be hidden behind the page.
RESERVED_EDITION_SLUGS = frozenset({"map", "feed", "photos"})


def validate_edition_slug(value: str) -> None:
    if value in RESERVED_EDITION_SLUGS:
        raise ValidationError(
            _("“%(value)s” is the address of another page of the showcase: choose another."),
            params={"value": value}, code="reserved")
