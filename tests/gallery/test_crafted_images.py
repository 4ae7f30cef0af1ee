"""What phones and crafted files send, through the API: MPO photos and documents, metadata on
documents, the published size, structures refused before decoding."""

import io
import zlib

import pytest
from PIL import Image

from tests.helpers import gallery_form, published_gallery_item, send_multipart

GPS = 0x8825


@pytest.fixture
def owner(actors):
    return actors.practitioner_with_profile()


def saved(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def phone_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[GPS] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 21.0, 8.0)}
    return exif


def phone_mpo(size=(640, 480)) -> bytes:
    """What many phones write: a JPEG with a multi-picture index and a second picture."""
    first, second = Image.new("RGB", size, (200, 30, 30)), Image.new("RGB", size, (30, 30, 200))
    data = saved(first, "MPO", save_all=True, append_images=[second], exif=phone_exif())
    assert Image.open(io.BytesIO(data)).format == "MPO"
    return data


def publish(client, owner, **images):
    return send_multipart(
        client,
        "POST",
        f"/api/v1/practitioners/{owner.practitioner_id}/gallery",
        gallery_form(**images),
        owner.headers,
    )


def attach_document(client, owner, data: bytes):
    certifications = f"/api/v1/practitioners/{owner.practitioner_id}/certifications"
    body = {"name": "DU", "issuing_body": "Univ", "issued_on": "2020-01-01"}
    certification = client.post(certifications, json=body, headers=owner.headers).json
    url = f"{certifications}/{certification['id']}/document"
    response = send_multipart(
        client, "PUT", url, {"file": (io.BytesIO(data), "scan.jpg", "image/jpeg")}, owner.headers
    )
    return response, client.get(url, headers=owner.headers)


def served(client, url: str):
    return client.get(url.removeprefix("http://localhost"))


def test_an_mpo_photo_is_published_as_its_first_picture(app, client, owner):
    item = published_gallery_item(
        app, client, owner, before=phone_mpo(), after=phone_mpo((800, 600))
    )

    assert (item["after"]["width"], item["after"]["height"]) == (800, 600)
    full = served(client, item["before"]["url"])
    assert full.mimetype == "image/jpeg"
    picture = Image.open(io.BytesIO(full.data))
    assert picture.format == "JPEG" and picture.size == (640, 480)
    red, green, blue = picture.getpixel((5, 5))
    assert abs(red - 200) < 8 and green < 40 and blue < 40
    assert b"SecretCam" not in full.data


def test_a_large_photo_is_published_at_2048_with_its_reported_size(app, client, owner):
    item = published_gallery_item(
        app, client, owner, before=saved(Image.new("RGB", (5000, 2500)), "JPEG")
    )

    before = item["before"]
    assert (before["width"], before["height"]) == (2048, 1024)
    full = Image.open(io.BytesIO(served(client, before["url"]).data))
    assert full.size == (2048, 1024)


def test_an_mpo_document_is_accepted_and_stored_as_a_jpeg(client, owner):
    response, download = attach_document(client, owner, phone_mpo())

    assert response.status_code == 200, response.json
    assert response.json["has_document"] is True
    assert download.mimetype == "image/jpeg"
    stored = Image.open(io.BytesIO(download.data))
    assert stored.format == "JPEG" and stored.size == (640, 480)


def test_a_document_photo_loses_its_gps_position(client, owner):
    scan = saved(Image.new("RGB", (1200, 900), "white"), "JPEG", exif=phone_exif())
    assert Image.open(io.BytesIO(scan)).getexif().get_ifd(GPS)

    response, download = attach_document(client, owner, scan)

    assert response.status_code == 200
    stored = Image.open(io.BytesIO(download.data))
    assert not stored.getexif() and "exif" not in stored.info
    assert b"SecretCam" not in download.data


def jpeg_of_scans(scans: int) -> bytes:
    data = saved(Image.new("RGB", (1000, 1000), "white"), "JPEG", progressive=True)
    last_scan = data[data.rindex(b"\xff\xda") : -2]
    return data[:-2] + last_scan * (scans - data.count(b"\xff\xda")) + data[-2:]


def jpeg_of_markers(markers: int) -> bytes:
    data = saved(Image.new("L", (8, 8)), "JPEG")
    return data[:2] + b"\xff\xfe\x00\x02" * markers + data[2:]


def png_of_chunks(chunks: int) -> bytes:
    data = saved(Image.new("RGB", (100, 100)), "PNG")
    pixels_at = data.index(b"IDAT") - 4
    empty = b"\x00\x00\x00\x00prVt" + zlib.crc32(b"prVt").to_bytes(4, "big")
    return data[:pixels_at] + empty * chunks + data[pixels_at:]


@pytest.mark.parametrize(
    ("crafted", "message"),
    [
        (jpeg_of_scans(1_000), "scans"),
        (jpeg_of_markers(100_000), "markers"),
        (png_of_chunks(20_000), "chunks"),
    ],
    ids=["jpeg-scans", "jpeg-markers", "png-chunks"],
)
def test_structures_costly_to_decode_are_refused_as_422(client, owner, crafted, message):
    response = publish(client, owner, before=crafted)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert message in response.json["errors"]["before"][0]
    assert client.get(f"/api/v1/practitioners/{owner.practitioner_id}/gallery").json["total"] == 0
