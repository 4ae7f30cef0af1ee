"""Crafted uploads through the image pipeline: the CPU time and peak memory of each one,
measured in a child process of its own.

    python -m bench images [--only NAME ...]

The inputs are the worst cases a client can send within the upload limits (10 MB,
40 megapixels). They are generated at run time, never stored.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parent.parent
FORTY_MEGAPIXELS = (8000, 5000)  # the largest image the API accepts (40,000,000 pixels)


@dataclass(frozen=True)
class Crafted:
    name: str
    what: str
    use: str  # "photo" (a gallery upload) or "document" (a certification document)
    expect: str  # "ok", or "refused 422" (from its header, or as a truncated file)
    make: Callable[[], bytes]


@dataclass(frozen=True)
class Cost:
    outcome: str  # "ok", or what the pipeline refused it with
    cpu_seconds: float  # user + system time of the processing alone
    wall_seconds: float
    peak_rss_mb: float  # the child's peak resident memory, interpreter included
    baseline_rss_mb: float  # its resident memory before processing: Python, Pillow, the app


def webp_lossless_noise(size: tuple[int, int] = (6300, 6300)) -> bytes:
    """Four-level grey noise: about 2 bits a pixel, so 40 megapixels fit in under 10 MB and
    every pixel must be decoded the hard way."""
    noise = Image.frombytes("L", size, os.urandom(size[0] * size[1]))
    noise = noise.point(lambda value: (value % 4) * 85)
    return _saved(noise.convert("RGB"), "WEBP", lossless=True, quality=0, method=0)


def webp_lossless_gradients(size: tuple[int, int] = FORTY_MEGAPIXELS) -> bytes:
    """Smooth gradients with an alpha channel: too many colours for a palette (which packs
    pixels), so libwebp decodes them into a full-size buffer of 4 bytes a pixel."""
    linear = Image.linear_gradient("L").resize(size)
    radial = Image.radial_gradient("L").resize(size)
    mirrored = linear.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    image = Image.merge("RGBA", (linear, radial, mirrored, radial))
    return _saved(image, "WEBP", lossless=True, quality=0, method=0)


def webp_animated(size: tuple[int, int] = (4000, 2500)) -> bytes:
    """Two frames: Pillow decodes animations whole, so they have a limit of their own."""
    frames = [Image.new("RGB", size, colour) for colour in ((90, 140, 200), (200, 140, 90))]
    return _saved(frames[0], "WEBP", save_all=True, append_images=frames[1:], quality=50)


def flat_png(mode: str, size: tuple[int, int] = FORTY_MEGAPIXELS) -> bytes:
    """One colour: zlib shrinks 40 megapixels to about 150 KB."""
    return _saved(Image.new(mode, size, (90, 140, 200, 128)[: len(mode)]), "PNG")


def png_with_chunks(chunks: int) -> bytes:
    """A flat 40 MP PNG with empty private chunks before its pixels (12 bytes each)."""
    data = flat_png("RGB")
    pixels_at = data.index(b"IDAT") - 4
    empty_chunk = b"\x00\x00\x00\x00prVt" + zlib.crc32(b"prVt").to_bytes(4, "big")
    return data[:pixels_at] + empty_chunk * (chunks - _chunk_count(data)) + data[pixels_at:]


def _chunk_count(png: bytes) -> int:
    position, chunks = 8, 0
    while position < len(png):
        chunks += 1
        position += 12 + int.from_bytes(png[position : position + 4], "big")
    return chunks


def truncated(data: bytes) -> bytes:
    """Cut short of its last 1%: the decoder does almost all the work, then fails."""
    return data[: len(data) * 99 // 100]


def photo_like(size: tuple[int, int] = FORTY_MEGAPIXELS) -> Image.Image:
    """Smooth colour fields with sensor-like grain: compresses like a photograph."""
    fields = Image.frombytes("RGB", (160, 100), os.urandom(160 * 100 * 3))
    smooth = fields.resize(size, Image.Resampling.BICUBIC)
    tile = Image.frombytes("L", (1024, 1024), os.urandom(1024 * 1024))
    grain = Image.new("L", size)
    for left in range(0, size[0], tile.width):  # a JPEG encoder sees no repetition
        for top in range(0, size[1], tile.height):
            grain.paste(tile, (left, top))
    grain = grain.point(lambda value: value // 12)
    return ImageChops.add(smooth, Image.merge("RGB", (grain, grain, grain)), offset=-10)


def photo_jpeg(**options) -> bytes:
    return _saved(photo_like(), "JPEG", **options)


def jpeg_with_scans(scans: int) -> bytes:
    """A flat 40 MP progressive JPEG whose last scan (a refinement of every block of the
    luma) is repeated: a few bytes to send, 40 ms each to decode."""
    data = _saved(Image.new("RGB", FORTY_MEGAPIXELS, (90, 140, 200)), "JPEG", progressive=True)
    last_scan = data[data.rindex(b"\xff\xda") : -2]  # through to the end-of-image marker
    return data[:-2] + last_scan * (scans - data.count(b"\xff\xda")) + data[-2:]


def jpeg_with_markers(markers: int) -> bytes:
    """Empty comment markers before the pixels: Pillow reads each one in Python."""
    data = _saved(Image.new("RGB", (64, 64)), "JPEG")
    return data[:2] + b"\xff\xfe\x00\x02" * markers + data[2:]


def mpo(frame_size: tuple[int, int] = (5000, 4000)) -> bytes:
    """Two pictures in one file, as phones write them (the second is a stereo or depth view)."""
    first = photo_like(frame_size)
    second = first.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return _saved(first, "MPO", save_all=True, append_images=[second], quality=85)


def _saved(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


OK, REFUSED = "ok", "refused 422"
CRAFTED = [
    Crafted(
        "webp-noise",
        "lossless WebP of noise, 6300x6300, just under 10 MB",
        "photo",
        OK,
        webp_lossless_noise,
    ),
    Crafted(
        "webp-gradients",
        "lossless RGBA WebP of gradients, 40 MP",
        "photo",
        OK,
        webp_lossless_gradients,
    ),
    Crafted(
        "webp-animated",
        "animated WebP, 10 MP (decoded whole, by Pillow: the limit)",
        "photo",
        OK,
        webp_animated,
    ),
    Crafted("png-flat", "flat RGB PNG, 40 MP", "photo", OK, lambda: flat_png("RGB")),
    Crafted("png-flat-rgba", "flat RGBA PNG, 40 MP", "photo", OK, lambda: flat_png("RGBA")),
    Crafted(
        "png-truncated",
        "flat RGBA PNG, 40 MP, cut short",
        "photo",
        REFUSED,
        lambda: truncated(flat_png("RGBA")),
    ),
    Crafted(
        "png-chunks",
        "flat PNG, 40 MP, 16,384 chunks (the limit)",
        "photo",
        OK,
        lambda: png_with_chunks(16_384),
    ),
    Crafted(
        "png-chunks-over",
        "flat PNG, 40 MP, 800,000 empty chunks",
        "photo",
        REFUSED,
        lambda: png_with_chunks(800_000),
    ),
    Crafted(
        "jpeg-photo",
        "photo-like baseline JPEG, 40 MP",
        "photo",
        OK,
        lambda: photo_jpeg(quality=85),
    ),
    Crafted(
        "jpeg-progressive",
        "photo-like progressive JPEG, 40 MP, 4:2:2 (160 MB of coefficients: the limit)",
        "photo",
        OK,
        lambda: photo_jpeg(quality=85, progressive=True, subsampling=1),
    ),
    Crafted(
        "jpeg-progressive-444",
        "progressive JPEG, 40 MP, no chroma subsampling (240 MB of coefficients)",
        "photo",
        REFUSED,
        lambda: photo_jpeg(quality=70, progressive=True, subsampling=0),
    ),
    Crafted(
        "jpeg-truncated",
        "photo-like progressive JPEG, 40 MP, cut short",
        "photo",
        REFUSED,
        lambda: truncated(photo_jpeg(quality=85, progressive=True, subsampling=1)),
    ),
    Crafted(
        "jpeg-scans",
        "flat progressive JPEG, 40 MP, 21 scans (the limit)",
        "photo",
        OK,
        lambda: jpeg_with_scans(21),
    ),
    Crafted(
        "jpeg-scans-over",
        "flat progressive JPEG, 40 MP, 10,000 scans",
        "photo",
        REFUSED,
        lambda: jpeg_with_scans(10_000),
    ),
    Crafted(
        "jpeg-markers",
        "JPEG with 2.5 million empty comment markers",
        "photo",
        REFUSED,
        lambda: jpeg_with_markers(2_500_000),
    ),
    Crafted("mpo", "MPO, two 20 MP pictures", "photo", OK, mpo),
    Crafted(
        "document-png-rgba",
        "flat RGBA PNG, 40 MP, as a certification document",
        "document",
        OK,
        lambda: flat_png("RGBA"),
    ),
    Crafted(
        "document-jpeg",
        "photo-like progressive JPEG, 40 MP, 4:2:2, as a certification document",
        "document",
        OK,
        lambda: photo_jpeg(quality=85, progressive=True, subsampling=1),
    ),
    Crafted("document-mpo", "MPO as a certification document", "document", OK, mpo),
]


def measure(data: bytes, use: str, timeout: float = 120) -> Cost:
    """Process `data` in a fresh interpreter, so that nothing else is in its memory figures."""
    with tempfile.NamedTemporaryFile(suffix=".upload") as upload:
        upload.write(data)
        upload.flush()
        child = subprocess.run(
            [sys.executable, "-m", "bench.images", "--child", use, upload.name],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    if child.returncode != 0:
        last_line = (child.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise RuntimeError(f"the measuring child failed: {last_line}")
    return Cost(**json.loads(child.stdout.strip().splitlines()[-1]))


def _child(use: str, path: str) -> None:
    """Runs in the child: process one upload and print its cost as JSON."""
    from directory.core.errors import DomainError
    from directory.core.images import process_photo
    from directory.core.uploads import check_document

    data = Path(path).read_bytes()
    process = process_photo if use == "photo" else check_document
    baseline_rss_mb = _peak_rss_mb(resource.getrusage(resource.RUSAGE_SELF))
    before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    try:
        process("upload", data)
        outcome = "ok"
    except DomainError as error:
        outcome = f"refused {int(error.status)}"
    except Exception as error:  # the report shows what the pipeline did, crashes included
        outcome = f"crash: {type(error).__name__}"
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cost = Cost(
        outcome=outcome,
        cpu_seconds=(after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        wall_seconds=wall,
        peak_rss_mb=_peak_rss_mb(after),
        baseline_rss_mb=baseline_rss_mb,
    )
    print(json.dumps(cost.__dict__))


def _peak_rss_mb(usage: resource.struct_rusage) -> float:
    """This process's peak resident memory. Linux carries ru_maxrss over execve, so a child of
    a large parent (pytest, this bench) reports the parent's size there; VmHWM is the peak of
    this process image alone."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return usage.ru_maxrss / 1024  # kilobytes on Linux


def table(rows: list[tuple[Crafted, int, Cost]]) -> list[str]:
    lines = [
        "| input | what | bytes | outcome | CPU s | wall s | peak RSS MB | above baseline MB |",
        "|---|---|---:|---|---:|---:|---:|---:|",
    ]
    for crafted, size, cost in rows:
        outcome = cost.outcome if cost.outcome == crafted.expect else f"**{cost.outcome}**"
        lines.append(
            f"| {crafted.name} | {crafted.what} | {size:,} | {outcome} "
            f"| {cost.cpu_seconds:.2f} | {cost.wall_seconds:.2f} | {cost.peak_rss_mb:.0f} "
            f"| {cost.peak_rss_mb - cost.baseline_rss_mb:.0f} |"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench images", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--only", nargs="+", metavar="NAME", help="some of the inputs only")
    parser.add_argument("--child", nargs=2, metavar=("USE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return
    rows = []
    for crafted in CRAFTED:
        if args.only and crafted.name not in args.only:
            continue
        data = crafted.make()
        print(f"{crafted.name}: {len(data):,} bytes", file=sys.stderr, flush=True)
        rows.append((crafted, len(data), measure(data, crafted.use)))
    print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
