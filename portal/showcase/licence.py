"""The licence of the published data: the one home every page, export, API response and
metadata document reads it from (settings.OPEN_DATA_LICENSE)."""

from django.conf import settings


def open_data_license() -> dict:
    """{"id", "name", "url"} of the licence."""
    return dict(settings.OPEN_DATA_LICENSE)


def license_link_header() -> str:
    """The HTTP Link header (RFC 8288) that names the licence of a response."""
    return f'<{settings.OPEN_DATA_LICENSE["url"]}>; rel="license"'


def with_license(response):
    """`response` with the Link header of the licence."""
    response["Link"] = license_link_header()
    return response
