"""The parts of the JPEG metadata stripper, each tried alone on bytes made by hand."""

import pytest
from PIL import Image

from practices.validators import (
    EXIF_ORIENTATION,
    _jpeg_orientation_segment,
    _jpeg_scan_end,
    _jpeg_segment_kept,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("marker", "payload", "kept"), [
    (0xDB, b"tables", True),  # not an APPn: part of the image
    (0xE0, b"JFIF\0rest", True),
    (0xE1, b"Exif\0\0GPS", False),
    (0xE2, b"ICC_PROFILE\0...", True),
    (0xE2, b"something else", False),
    (0xEE, b"Adobe...", True),
    (0xFE, b"a comment", False),
])
def test_only_the_image_and_its_colour_segments_are_kept(marker, payload, kept):
    assert _jpeg_segment_kept(marker, payload) is kept


def test_the_scan_ends_at_the_first_real_marker():
    data = b"\x01\x02\xff\x00\x03\xff\xd3\x04\xff\xff\xd9"
    assert _jpeg_scan_end(data, 0) == 9


@pytest.mark.parametrize("orientation", [0, 1, 9])
def test_an_upright_photo_gets_no_orientation_segment(orientation):
    assert _jpeg_orientation_segment(orientation) == b""


def test_a_turned_photo_keeps_only_its_orientation():
    segment = _jpeg_orientation_segment(6)
    assert segment[:2] == b"\xff\xe1"
    assert int.from_bytes(segment[2:4], "big") == len(segment) - 2
    exif = Image.Exif()
    exif.load(segment[4:])
    assert dict(exif) == {EXIF_ORIENTATION: 6}
