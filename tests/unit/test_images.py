"""The image pipeline's rules, on its pure functions: sizes, MPO, metadata, orientation, alpha,
and the structures refused before any decoding."""

import io
import os
import subprocess
import sys
import zlib

import pytest
from PIL import Image, ImageOps, PngImagePlugin

from directory.core import images
from directory.core.errors import InvalidInput, UnsupportedFileType
from directory.core.images import (
    MAX_JPEG_SCANS,
    MAX_PNG_CHUNKS,
    PUBLISHED_LONG_SIDE,
    THUMBNAIL_WIDTH,
    process_photo,
)
from directory.core.uploads import DOCUMENT_LONG_SIDE, check_document

GPS = 0x8825
ORIENTATION = 0x0112


def saved(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def close(pixel, expected, tolerance: int = 8) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def quadrants(size=(60, 40)) -> Image.Image:
    """Four colours, one per quadrant: any rotation or flip shows."""
    image = Image.new("RGB", size, (250, 0, 0))
    width, height = size
    image.paste((0, 250, 0), (width // 2, 0, width, height // 2))
    image.paste((0, 0, 250), (0, height // 2, width // 2, height))
    image.paste((250, 250, 0), (width // 2, height // 2, width, height))
    return image


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "SecretCam"  # Make
    exif[GPS] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 21.0, 8.0)}
    return exif


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>Jane Doe</rdf:Description></x:xmpmeta>'


def phone_jpeg(image: Image.Image, orientation: int = 1) -> bytes:
    return saved(
        image,
        "JPEG",
        exif=camera_exif(orientation),
        comment=b"patient: Jane Doe",
        icc_profile=b"\0" * 128,
        xmp=XMP,
        quality=95,
    )


def assert_no_metadata(data: bytes) -> None:
    stored = opened(data)
    assert not stored.getexif()
    assert not {"exif", "icc_profile", "comment", "xmp", "XML:com.adobe.xmp"} & set(stored.info)
    for secret in (b"SecretCam", b"Jane Doe", b"Exif\0\0", b"http://ns.adobe.com/xap"):
        assert secret not in data


def mpo(first: Image.Image, second: Image.Image) -> bytes:
    data = saved(first, "MPO", save_all=True, append_images=[second], exif=camera_exif())
    assert Image.open(io.BytesIO(data)).format == "MPO"
    return data


# --- Sizes --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize(
    ("size", "published"), [((5000, 2500), (2048, 1024)), ((1200, 4800), (512, 2048))]
)
def test_a_published_photo_is_at_most_2048_on_its_long_side(fmt, size, published):
    photo = process_photo("before", saved(quadrants(size), fmt))

    assert (photo.full.width, photo.full.height) == published
    assert opened(photo.full.data).size == published
    assert opened(photo.thumbnail.data).width == min(THUMBNAIL_WIDTH, published[0])
    assert max(published) == PUBLISHED_LONG_SIDE


def test_a_photo_under_the_cap_keeps_its_size():
    photo = process_photo("before", saved(quadrants((900, 600)), "PNG"))

    assert (photo.full.width, photo.full.height) == (900, 600)
    assert opened(photo.thumbnail.data).size == (400, 267)


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_and_looks_the_same():
    source = quadrants((4200, 2800))

    photo = process_photo("before", saved(source, "JPEG", quality=95))

    published = opened(photo.full.data)
    assert published.size == (2048, 1365)
    expected = source.resize(published.size)
    for point in ((100, 100), (1900, 100), (100, 1200), (1900, 1200)):
        assert close(published.getpixel(point), expected.getpixel(point))


def test_the_strip_by_strip_reduction_leaves_no_seam():
    """Reduced a strip at a time, the result is exactly Pillow's whole-image reduction."""
    noise = Image.frombytes("RGB", (4100, 600), os.urandom(4100 * 600 * 3))

    photo = process_photo("before", saved(noise, "PNG"))

    expected = noise.reduce(2).resize((2048, 300), Image.Resampling.BICUBIC)
    assert opened(photo.full.data).tobytes() == expected.tobytes()


def test_transparent_pixels_lend_no_colour_when_shrunk():
    # Left half: opaque blue. Right half: fully transparent, with red hidden under alpha 0.
    image = Image.new("RGBA", (6000, 1000), (0, 0, 255, 255))
    image.paste((255, 0, 0, 0), (3000, 0, 6000, 1000))

    published = opened(process_photo("before", saved(image, "PNG")).full.data)

    assert published.mode == "RGBA"
    red, _, blue, alpha = published.getpixel((1023, 170))  # the border, where both meet
    assert 0 < alpha < 255 and red < 10 and blue > 240


def test_a_16_bit_grey_png_keeps_its_tones():
    grey = Image.new("I;16", (300, 200), 0x8000)  # half way up the 16-bit range

    published = opened(process_photo("before", saved(grey, "PNG")).full.data)

    assert published.getpixel((10, 10)) == (128, 128, 128)


# --- MPO ----------------------------------------------------------------------------------


def test_an_mpo_is_read_as_its_first_picture_and_published_as_a_jpeg():
    first, second = Image.new("RGB", (320, 240), (200, 30, 30)), Image.new("RGB", (640, 480))

    photo = process_photo("after", mpo(first, second))

    assert (photo.content_type, photo.extension) == ("image/jpeg", "jpg")
    published = opened(photo.full.data)
    assert published.format == "JPEG" and published.size == (320, 240)
    assert close(published.getpixel((5, 5)), (200, 30, 30))
    assert_no_metadata(photo.full.data)


# --- Metadata and orientation -------------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_the_exif_orientation_is_applied(orientation):
    source = quadrants()
    data = phone_jpeg(source, orientation)

    photo = process_photo("before", data)

    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    published = opened(photo.full.data)
    assert published.size == expected.size
    for x, y in ((5, 5), (expected.width - 5, 5), (5, expected.height - 5)):
        assert close(published.getpixel((x, y)), expected.getpixel((x, y)), tolerance=24)
    assert_no_metadata(photo.full.data)
    assert_no_metadata(photo.thumbnail.data)


def test_a_large_photo_is_shrunk_then_turned_upright():
    photo = process_photo("before", phone_jpeg(quadrants((4000, 3000)), orientation=6))

    assert (photo.full.width, photo.full.height) == (1536, 2048)


def test_a_malformed_exif_block_is_ignored():
    data = saved(quadrants(), "JPEG", exif=b"Exif\x00\x00MM\x00\x2a\xff\xff\xff\xff garbage")

    photo = process_photo("before", data)

    assert opened(photo.full.data).size == (60, 40)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_lose_their_metadata(fmt):
    options = {"exif": camera_exif(), "icc_profile": b"\0" * 128, "xmp": XMP}
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "patient: Jane Doe")
        options["pnginfo"] = text
    data = saved(Image.new("RGBA", (3000, 200), (1, 2, 3, 128)), fmt, **options)

    photo = process_photo("after", data)

    assert_no_metadata(photo.full.data)
    assert_no_metadata(photo.thumbnail.data)


# --- Limits -------------------------------------------------------------------------------


def test_the_pixel_limit_is_read_from_the_header():
    huge = saved(Image.new("L", (8000, 5001)), "PNG")

    with pytest.raises(InvalidInput) as refused:
        process_photo("before", huge)

    assert "pixels" in refused.value.errors["before"][0]


@pytest.mark.parametrize("data", [b"<svg/>", saved(Image.new("RGB", (8, 8)), "GIF")])
def test_a_file_that_is_no_allowed_image_is_unsupported(data):
    with pytest.raises(UnsupportedFileType):
        process_photo("before", data)


def test_importing_the_pipeline_leaves_pillow_settings_alone():
    code = (
        "from PIL import Image; default = Image.MAX_IMAGE_PIXELS; "
        "import directory.core.uploads, directory.core.images; "
        "assert Image.MAX_IMAGE_PIXELS == default, Image.MAX_IMAGE_PIXELS"
    )

    subprocess.run([sys.executable, "-c", code], check=True)


# --- Certification documents --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_document_image_loses_every_piece_of_metadata_gps_included(fmt):
    if fmt == "JPEG":
        data = phone_jpeg(quadrants((1200, 900)), orientation=6)
    else:
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "patient: Jane Doe")
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        options = {"exif": camera_exif(6), "icc_profile": b"\0" * 128, "pnginfo": text}
        data = saved(quadrants((1200, 900)), "PNG", **options)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS)

    document = check_document("file", data)

    assert document.content_type == f"image/{fmt.lower()}"
    assert_no_metadata(document.data)
    assert opened(document.data).size == (900, 1200)  # and turned upright


def test_an_mpo_document_is_stored_as_a_jpeg_without_metadata():
    document = check_document("file", mpo(quadrants((320, 240)), quadrants((320, 240))))

    assert (document.content_type, document.extension) == ("image/jpeg", "jpg")
    assert opened(document.data).size == (320, 240)
    assert_no_metadata(document.data)


def test_a_document_image_is_kept_sharper_than_a_photo_but_bounded():
    document = check_document("file", saved(quadrants((6000, 3000)), "JPEG"))

    assert opened(document.data).size == (DOCUMENT_LONG_SIDE, DOCUMENT_LONG_SIDE // 2)
    assert DOCUMENT_LONG_SIDE > PUBLISHED_LONG_SIDE


def test_a_pdf_document_is_kept_as_it_is():
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

    assert check_document("file", pdf).data == pdf


# --- Refused before decoding --------------------------------------------------------------


def test_a_jpeg_with_too_many_scans_is_refused():
    data = saved(Image.new("RGB", (2000, 2000), (90, 140, 200)), "JPEG", progressive=True)
    last_scan = data[data.rindex(b"\xff\xda") : -2]
    crafted = data[:-2] + last_scan * MAX_JPEG_SCANS + data[-2:]

    with pytest.raises(InvalidInput) as refused:
        process_photo("before", crafted)

    assert "scans" in refused.value.errors["before"][0]


def test_a_progressive_jpeg_is_accepted_up_to_its_coefficient_buffer(monkeypatch):
    # 2 bytes for each of the 64 coefficients of each 8x8 block: at 2400 x 1200, 8.6 MB of
    # coefficients in 4:2:0 and 17.3 MB without subsampling (at 40 MP: 120 and 240 MB).
    monkeypatch.setattr(images, "MAX_JPEG_COEFFICIENT_BYTES", 12_000_000)
    flat = Image.new("RGB", (2400, 1200), (90, 140, 200))
    subsampled = saved(flat, "JPEG", progressive=True, subsampling=2)
    full_chroma = saved(flat, "JPEG", progressive=True, subsampling=0)

    assert process_photo("before", subsampled).full.width == 2048
    assert process_photo("before", saved(flat, "JPEG", subsampling=0)).full.width == 2048
    with pytest.raises(InvalidInput) as refused:
        process_photo("before", full_chroma)
    assert "progressive" in refused.value.errors["before"][0]


def test_a_jpeg_header_full_of_markers_is_refused():
    data = saved(quadrants(), "JPEG")
    crafted = data[:2] + b"\xff\xfe\x00\x02" * 100_000 + data[2:]

    with pytest.raises(InvalidInput):
        process_photo("before", crafted)


def test_a_png_of_too_many_chunks_is_refused():
    data = saved(quadrants(), "PNG")
    pixels_at = data.index(b"IDAT") - 4
    empty = b"\x00\x00\x00\x00prVt" + zlib.crc32(b"prVt").to_bytes(4, "big")  # a private chunk
    crafted = data[:pixels_at] + empty * MAX_PNG_CHUNKS + data[pixels_at:]

    with pytest.raises(InvalidInput) as refused:
        process_photo("before", crafted)

    assert "chunks" in refused.value.errors["before"][0]


# --- WebP ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options", [{"quality": 90}, {"lossless": True}], ids=["lossy", "lossless"]
)
@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_a_webp_is_decoded_straight_to_its_published_size(options, mode):
    source = quadrants((3000, 1500))
    if mode == "RGBA":
        source.putalpha(Image.linear_gradient("L").resize(source.size))

    published = opened(process_photo("before", saved(source, "WEBP", **options)).full.data)

    assert published.size == (2048, 1024) and published.mode == mode
    expected = source.resize((2048, 1024))
    for point in ((100, 100), (2000, 100), (100, 1000), (2000, 1000)):
        assert close(published.getpixel(point), expected.getpixel(point), tolerance=12)


def test_without_libwebp_a_webp_goes_through_pillow(monkeypatch):
    monkeypatch.setattr(images, "_libwebp", lambda: None)

    photo = process_photo("before", saved(quadrants((3000, 1500)), "WEBP", quality=90))

    assert (photo.full.width, photo.full.height) == (2048, 1024)


def test_an_animated_webp_is_read_as_its_first_frame_within_its_own_limit(monkeypatch):
    frames = [Image.new("RGB", (640, 480), colour) for colour in ((200, 30, 30), (30, 30, 200))]
    animated = saved(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)

    first = opened(process_photo("before", animated).full.data)

    assert first.size == (640, 480) and close(first.getpixel((5, 5))[:3], (200, 30, 30))
    monkeypatch.setattr(images, "MAX_WEBP_PIXELS_DECODED_WHOLE", 640 * 480 - 1)
    with pytest.raises(InvalidInput) as refused:
        process_photo("before", animated)
    assert "animated" in refused.value.errors["before"][0]


def test_a_truncated_webp_is_refused_as_corrupt():
    data = saved(quadrants((3000, 2000)), "WEBP", quality=90)

    with pytest.raises(InvalidInput) as refused:
        process_photo("before", data[: len(data) // 2])

    assert "corrupt" in refused.value.errors["before"][0]
