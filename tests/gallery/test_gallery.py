import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from directory import create_app
from directory.core.media import LocalMediaStore
from tests.helpers import consent_token, gallery_form, image_bytes, send_multipart


def gallery_url(practitioner_id: str) -> str:
    return f"/api/v1/practitioners/{practitioner_id}/gallery"


def fields(before=None, after=None, **overrides) -> dict:
    described = {
        "caption": "Three sessions, eight weeks apart",
        "sessions": "3",
        "weeks_elapsed": "8",
    }
    return gallery_form(before, after, **(described | overrides))


def upload(client, actor, practitioner_id, **kwargs):
    return send_multipart(
        client, "POST", gallery_url(practitioner_id), fields(**kwargs), actor.headers
    )


def publish(client, actor, practitioner_id, **kwargs) -> dict:
    """Upload, then grant consent as the patient would (through the mailed link): the item
    as its owner now sees it."""
    form = fields(**kwargs)
    response = send_multipart(client, "POST", gallery_url(practitioner_id), form, actor.headers)
    assert response.status_code == 201, response.json
    token = consent_token(client.application, form["patient_email"])
    assert client.post(f"/api/v1/consents/{token}", json={"decision": "granted"}).status_code == 200
    listed = client.get(gallery_url(practitioner_id), headers=actor.headers).json["items"]
    return next(item for item in listed if item["id"] == response.json["id"])


def stored_files(app) -> set[str]:
    root = Path(app.config["MEDIA_ROOT"])
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def fetch(client, url: str):
    return client.get(url.removeprefix("http://localhost"))


def jpeg_with_metadata(size=(60, 40), orientation=1) -> bytes:
    image = Image.new("RGB", size, (10, 200, 30))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"patient: Jane Doe", icc_profile=b"\0" * 128)
    return buffer.getvalue()


def test_an_upload_is_published_with_urls_and_dimensions(client, app, owner):
    item = publish(client, owner, owner.practitioner_id, before=image_bytes("PNG", (900, 600)))

    assert (item["treatment"], item["sessions"], item["weeks_elapsed"]) == ("anti-aging", 3, 8)
    assert (item["before"]["width"], item["before"]["height"]) == (900, 600)
    full, thumbnail = (
        fetch(client, item["before"]["url"]),
        fetch(client, item["before"]["thumbnail_url"]),
    )
    assert full.status_code == thumbnail.status_code == 200
    assert full.mimetype == "image/png"
    assert full.headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in full.headers["Cache-Control"]
    assert Image.open(io.BytesIO(thumbnail.data)).size == (400, 267)
    listed = client.get(gallery_url(owner.practitioner_id)).json
    assert [i["id"] for i in listed["items"]] == [item["id"]]


def test_every_piece_of_metadata_is_removed_and_orientation_applied(client, owner):
    # Orientation 6: the camera was rotated; the pixels must be turned upright.
    item = publish(client, owner, owner.practitioner_id, before=jpeg_with_metadata(orientation=6))

    for url in (item["before"]["url"], item["before"]["thumbnail_url"]):
        data = fetch(client, url).data
        stored = Image.open(io.BytesIO(data))
        assert stored.size == (40, 60)
        assert not stored.getexif()
        assert not {"exif", "icc_profile", "comment", "xmp"} & set(stored.info)
        assert b"SecretCam" not in data and b"Jane Doe" not in data


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_lose_their_metadata_too(client, owner, fmt):
    image, buffer = Image.new("RGBA", (50, 50), (1, 2, 3, 128)), io.BytesIO()
    options = {"exif": b"Exif\x00\x00SecretCam", "icc_profile": b"\0" * 128}
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "patient: Jane Doe")
        options["pnginfo"] = text
    image.save(buffer, fmt, **options)

    item = publish(client, owner, owner.practitioner_id, after=buffer.getvalue())

    data = fetch(client, item["after"]["url"]).data
    assert b"SecretCam" not in data and b"Jane Doe" not in data
    assert not {"exif", "icc_profile", "Comment"} & set(Image.open(io.BytesIO(data)).info)


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        (b"<html><body>not an image</body></html>", 415),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 415),
        (image_bytes("GIF"), 415),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", 415),
        (b"%PDF-1.4\n%%EOF\n", 415),
        (image_bytes("JPEG", (300, 300))[:400], 422),
    ],
)
def test_files_are_judged_by_decoding_them(client, app, owner, payload, status):
    before = stored_files(app)

    response = upload(client, owner, owner.practitioner_id, after=payload)

    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert stored_files(app) == before
    assert client.get(gallery_url(owner.practitioner_id)).json["total"] == 0


def test_an_image_over_40_megapixels_is_refused_before_decoding(client, owner):
    huge = image_bytes("PNG", (8000, 5001))  # solid colour: tiny file, 40,008,000 pixels

    response = upload(client, owner, owner.practitioner_id, before=huge)

    assert response.status_code == 422
    assert "pixels" in response.json["errors"]["before"][0]


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with a few rows of zeros behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\0" * (1 + 3 * width) * 4)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_never_reaches_memory(client, owner):
    bomb = png_claiming(30000, 30000)  # 900 megapixels, 2.7 GB decoded, in a few kilobytes

    response = upload(client, owner, owner.practitioner_id, before=bomb)

    assert response.status_code == 422
    assert "pixels" in response.json["errors"]["before"][0]


def test_an_image_over_10_mb_is_a_413(client, app, owner):
    noise = Image.frombytes("RGB", (2200, 1700), bytes(range(256)) * (2200 * 1700 * 3 // 256 + 1))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > 10 * 1024 * 1024

    response = upload(client, owner, owner.practitioner_id, before=buffer.getvalue())

    assert response.status_code == 413


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": "false"}, "consent"),
        ({"patient_email": None}, "patient_email"),
        ({"patient_email": "not-an-address"}, "patient_email"),
        ({"consent": "true"}, "consent"),
        ({"sessions": "0"}, "sessions"),
        ({"weeks_elapsed": "-1"}, "weeks_elapsed"),
        ({"treatment": "botox-party"}, "treatment"),
        ({"before": None}, "before"),
        ({"surprise": "field"}, "surprise"),
    ],
)
def test_invalid_fields_are_422(client, app, owner, overrides, field):
    body = fields() | overrides
    body = {k: v for k, v in body.items() if v is not None}
    before = stored_files(app)

    response = send_multipart(
        client, "POST", gallery_url(owner.practitioner_id), body, owner.headers
    )

    assert response.status_code == 422
    assert field in response.json["errors"]
    assert stored_files(app) == before


def test_a_database_failure_leaves_no_file_behind(app):
    """The files are written before the commit; if the commit fails they are removed."""
    from sqlalchemy.exc import IntegrityError

    from directory.gallery import services
    from directory.practitioners.models import Practitioner

    ghost = Practitioner(id="no-such-practitioner")  # the foreign key fails at commit
    images = {side: image_bytes("JPEG") for side in ("before", "after")}
    details = {"treatment": "anti-aging", "sessions": 1, "weeks_elapsed": 2}
    with app.app_context():
        before = stored_files(app)
        with pytest.raises(IntegrityError):
            services.upload(ghost, images, "patient@example.com", details)
        assert stored_files(app) == before


def test_only_the_owner_uploads(client, owner, actors):
    for actor in (actors.patient(), actors.practitioner_with_profile(), actors.admin()):
        assert upload(client, actor, owner.practitioner_id).status_code == 403
    response = send_multipart(client, "POST", gallery_url(owner.practitioner_id), fields(), {})
    assert response.status_code == 401


def test_deleting_an_item_deletes_its_files(client, app, owner, actors):
    before = stored_files(app)
    item = publish(client, owner, owner.practitioner_id)
    assert len(stored_files(app) - before) == 4
    url = f"{gallery_url(owner.practitioner_id)}/{item['id']}"

    assert client.delete(url, headers=actors.patient().headers).status_code == 403
    assert client.delete(url, headers=owner.headers).status_code == 204

    assert stored_files(app) == before
    assert fetch(client, item["before"]["url"]).status_code == 404
    assert client.delete(url, headers=owner.headers).status_code == 404


def test_an_admin_deletion_is_audited(client, owner, actors):
    item = upload(client, owner, owner.practitioner_id).json
    admin = actors.admin()

    client.delete(f"{gallery_url(owner.practitioner_id)}/{item['id']}", headers=admin.headers)

    log = client.get("/api/v1/admin/audit-log", headers=admin.headers).json["items"]
    assert [(e["action"], e["target_id"]) for e in log] == [("gallery_item.delete", item["id"])]


def test_lists_are_newest_first_and_filter_by_treatment(client, owner):
    first = publish(client, owner, owner.practitioner_id)
    second = publish(client, owner, owner.practitioner_id, treatment="hair-restoration")

    all_items = client.get(gallery_url(owner.practitioner_id)).json["items"]
    hair = client.get(
        gallery_url(owner.practitioner_id), query_string={"treatment": "hair-restoration"}
    )

    assert [i["id"] for i in all_items] == [second["id"], first["id"]]
    assert [i["id"] for i in hair.json["items"]] == [second["id"]]


@pytest.mark.parametrize(
    "path",
    [
        "/media/../instance/directory.db",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/gallery/..%2f..%2fetc%2fpasswd",
        "/media//etc/passwd",
        "/media/gallery/../../private/documents/x.pdf",
        "/media/private/documents/x.pdf",
        "/media/gallery/missing.jpg",
        "/media/gallery/evil.html",
        "/media/gallery",
    ],
)
def test_nothing_outside_public_media_can_be_reached(client, path):
    # werkzeug answers "//" with a redirect to the merged path: follow it to the end
    assert client.get(path, follow_redirects=True).status_code == 404


def test_a_private_document_is_never_served_as_media(client, app, owner):
    from tests.helpers import PDF_BYTES

    cert = client.post(
        f"/api/v1/practitioners/{owner.practitioner_id}/certifications",
        json={"name": "DU", "issuing_body": "Univ", "issued_on": "2020-01-01"},
        headers=owner.headers,
    ).json
    before = stored_files(app)
    send_multipart(
        client,
        "PUT",
        f"/api/v1/practitioners/{owner.practitioner_id}/certifications/{cert['id']}/document",
        {"file": (io.BytesIO(PDF_BYTES), "d.pdf", "application/pdf")},
        owner.headers,
    )
    (document,) = stored_files(app) - before
    assert document.startswith("private/documents/")
    name = document.removeprefix("private/")

    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/media/{document}").status_code == 404
    assert client.get(f"/media/../{document}").status_code == 404


def test_the_local_store_refuses_keys_outside_its_root(tmp_path):
    store = LocalMediaStore(str(tmp_path / "media"))

    with pytest.raises(ValueError):
        store.save("../escape.jpg", b"x", "image/jpeg")
    assert store.load("../../etc/passwd") is None


@pytest.fixture
def s3_app(config_class):
    from moto import mock_aws

    class S3Config(config_class):
        MEDIA_STORAGE = "s3"
        S3_BUCKET = "directory-media"
        S3_PREFIX = "test/"

    with mock_aws():
        import boto3

        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="directory-media")
        yield create_app(S3Config)


def test_the_s3_backend_stores_serves_and_deletes(s3_app, actors):
    import boto3

    from tests.helpers import ActorFactory

    client = s3_app.test_client()
    owner = ActorFactory(s3_app, client).practitioner_with_profile()
    bucket = boto3.client("s3", region_name="us-east-1")

    def objects() -> set[str]:
        listing = bucket.list_objects_v2(Bucket="directory-media")
        return {entry["Key"] for entry in listing.get("Contents", [])}

    upload(client, owner, owner.practitioner_id, after=jpeg_with_metadata())
    assert len(objects()) == 4 and all(key.startswith("test/private/gallery/") for key in objects())
    objects_before = objects()
    item = publish(client, owner, owner.practitioner_id, after=jpeg_with_metadata())
    published = objects() - objects_before
    assert len(published) == 4 and all(key.startswith("test/public/gallery/") for key in published)
    assert objects_before <= objects()
    served = fetch(client, item["after"]["url"])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert b"SecretCam" not in served.data

    refused = upload(client, owner, owner.practitioner_id, after=b"<html></html>")
    assert refused.status_code == 415 and len(objects()) == 8

    client.delete(f"{gallery_url(owner.practitioner_id)}/{item['id']}", headers=owner.headers)
    assert objects() == objects_before
    assert fetch(client, item["after"]["url"]).status_code == 404


def test_parallel_uploads_leave_exactly_their_files(app, client, owner):
    from concurrent.futures import ThreadPoolExecutor

    before = stored_files(app)
    payloads = [image_bytes("JPEG") if i % 2 else b"<html></html>" for i in range(8)]

    def send(payload):
        return upload(app.test_client(), owner, owner.practitioner_id, after=payload).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(send, payloads))

    assert sorted(statuses) == [201] * 4 + [415] * 4
    assert len(stored_files(app) - before) == 4 * 4
    listed = client.get(gallery_url(owner.practitioner_id), headers=owner.headers).json
    assert listed["total"] == 4


def test_housekeeping_publishes_files_of_a_committed_upload_that_were_not_moved(app, client, owner):
    """A process that died after its commit but before moving its files: the row is there,
    its files wait under pending/; an hour later they are published, not removed."""
    from datetime import timedelta
    from pathlib import Path

    from directory.core.db import utcnow
    from directory.housekeeping import run_housekeeping

    item = publish(client, owner, owner.practitioner_id)
    root = Path(app.config["MEDIA_ROOT"])
    name = item["before"]["url"].split("/media/", 1)[1]
    published = root / "public" / name
    stranded = root / "pending" / "public" / name
    stranded.parent.mkdir(parents=True, exist_ok=True)
    published.replace(stranded)
    assert client.get(f"/media/{name}").status_code == 404

    with app.app_context():
        summary = run_housekeeping(now=utcnow() + timedelta(hours=2))

    assert summary["pending_media_published"] == 1
    assert client.get(f"/media/{name}").status_code == 200
