"""The image pipeline for uploads: decode at a bounded cost, orient, strip every byte of
metadata, resize, re-encode.

Every accepted input, however crafted, must cost at most about 2 s of CPU and 300 MB of
memory. So the size is checked from the header before anything is decoded; JPEGs are decoded
at a reduced scale (libjpeg's DCT scaling) and WebPs straight to their published size
(libwebp's scaling); a full-size bitmap is never converted or copied whole, but shrunk a strip
at a time; and the encoders run with settings of bounded cost on the small result.
"""

import ctypes
import ctypes.util
import functools
import io
import math
import re
import warnings
import zlib
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageFile, UnidentifiedImageError

from directory.core.errors import InvalidInput, UnsupportedFileType

MAX_IMAGE_PIXELS = 40_000_000
PUBLISHED_LONG_SIDE = 2048
THUMBNAIL_WIDTH = 400

# Pillow format name -> (content type, file extension)
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
GALLERY_FORMATS = ("JPEG", "PNG", "WEBP")
# A JPEG with a multi-picture index (what many phones write) opens as MPO: its first picture
# is a plain JPEG, and is published as one.
_PUBLISHED_AS = {"MPO": "JPEG"}

_SAVE_OPTIONS = {
    "JPEG": {"quality": 88, "optimize": True},
    # Z_RLE: about the size of the default strategy on filtered photographs, in a fraction of
    # the time on noise (optimize=True, zlib level 9, took 12 s on a 4 MP image).
    "PNG": {"compress_level": 6, "compress_type": zlib.Z_RLE},
    # method 4 (the default) takes 2 s on 4 MP of noise with an alpha channel; 1 takes 0.9 s,
    # for files about 15% larger on photographs.
    "WEBP": {"quality": 85, "method": 1},
}

# Pillow parses a JPEG's header and a PNG's chunks in Python, one marker (or stray byte) or
# chunk at a time: 10 MB of empty markers or chunks keeps it busy for seconds. Real files
# have a few dozen (PNG encoders split the pixel data in 8 to 64 KB chunks).
MAX_JPEG_HEADER_STEPS = 2_000
MAX_PNG_CHUNKS = 16_384
# Each scan of a progressive JPEG is a pass over every 8x8 block of its components, at up to
# 60 ns a block: a few bytes can ask for one more (1,000 scans of a 40 MP JPEG took 40 s).
# Encoders write about ten scans, 5 to 7 million block passes for 40 MP.
MAX_JPEG_SCANS = 64
MAX_JPEG_BLOCK_PASSES = 12_000_000
# A JPEG of several scans is decoded into a buffer of all its DCT coefficients (2 bytes each,
# 64 per 8x8 block of each component), whatever the scale it is decoded at: 120 MB for a
# 40 MP 4:2:0 progressive JPEG, 240 MB without chroma subsampling.
MAX_JPEG_COEFFICIENT_BYTES = 160_000_000
# Pillow decodes a WebP whole, with about 16 bytes a pixel in flight; it does so only for
# animated WebPs (libwebp's scaling decodes stills) or where libwebp cannot be reached.
MAX_WEBP_PIXELS_DECODED_WHOLE = 10_000_000
# A shrunk copy never exceeds 4096 x 4096 pixels (64 MB in RGBA), nor a strip 1 MP.
_MAX_INTERMEDIATE_PIXELS = 4096 * 4096
_STRIP_PIXELS = 1_000_000

_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class ProcessedImage:
    content_type: str
    extension: str
    full: Rendition
    thumbnail: Rendition


@dataclass(frozen=True)
class CleanImage:
    content_type: str
    extension: str
    rendition: Rendition


def process_photo(field: str, data: bytes) -> ProcessedImage:
    """A published photo (at most PUBLISHED_LONG_SIDE) and its thumbnail; EXIF, GPS, ICC, XMP
    and comments never survive."""
    fmt, image = _upright_pixels(field, data, GALLERY_FORMATS, PUBLISHED_LONG_SIDE)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_WIDTH, image.height))
    content_type, extension = IMAGE_FORMATS[fmt]
    return ProcessedImage(content_type, extension, _encode(image, fmt), _encode(thumbnail, fmt))


def clean_image(field: str, data: bytes, formats: tuple[str, ...], long_side: int) -> CleanImage:
    """The image re-encoded in its own format (MPO as JPEG), at most `long_side`, upright and
    without any metadata."""
    fmt, image = _upright_pixels(field, data, formats, long_side)
    return CleanImage(*IMAGE_FORMATS[fmt], _encode(image, fmt))


def open_image(field: str, data: bytes, formats: tuple[str, ...]) -> ImageFile.ImageFile:
    """An image of an allowed format, its header read and checked, no pixel decoded yet."""
    _refuse_costly_structure(field, data)
    try:
        with warnings.catch_warnings():
            # Pillow warns of corrupt EXIF (what the sender wrote, and dropped anyway) ...
            warnings.simplefilter("ignore", UserWarning)
            # ... and only warns between its own pixel limit and twice that: refuse.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(formats))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(field) from error
    except UnidentifiedImageError as error:
        allowed = ", ".join(formats)
        raise UnsupportedFileType(
            f"'{field}' is not an image of an allowed type ({allowed})."
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise _corrupt(field) from error
    if image.width * image.height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels(field)
    return image


def _upright_pixels(
    field: str, data: bytes, formats: tuple[str, ...], long_side: int
) -> tuple[str, Image.Image]:
    """(output format, pixels): at most `long_side`, turned upright, in a fresh image that
    carries nothing of the source's metadata."""
    source = open_image(field, data, formats)
    fmt = _PUBLISHED_AS.get(source.format, source.format)
    size = _fitted(source.size, long_side)
    mode = "RGB" if fmt == "JPEG" or not _has_alpha(source) else "RGBA"
    try:
        if source.format == "WEBP":
            image = _decoded_webp(field, data, source, size, mode)
        else:
            if source.format in ("JPEG", "MPO"):
                source.draft(None, size)  # libjpeg decodes at 1/2, 1/4 or 1/8 of the size
            source.load()
            image = _reduced(source, size, mode)
        if max(image.size) < max(size):  # reduced further, to bound its memory: no upscaling
            size = _fitted(size, max(image.size))
        orientation = _orientation(source)
        if image is not source:
            source.close()  # the full-size bitmap goes before anything else is allocated
        image = _resampled(image, size, mode)
        if orientation in _ORIENTATION:
            image = image.transpose(_ORIENTATION[orientation])
        return fmt, _pixels_only(image)
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise _corrupt(field) from error
    finally:
        source.close()


def _fitted(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, long_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _has_alpha(image: Image.Image) -> bool:
    return "A" in image.getbands() or "transparency" in image.info


def _reduced(image: Image.Image, size: tuple[int, int], mode: str) -> Image.Image:
    """`image` reduced by a whole factor (a box filter) to between once and twice `size`, and
    converted for resampling (alpha premultiplied: no colour bleeds from transparent pixels).
    Done a strip at a time: Pillow converts (and premultiplies) whole images into full-size
    copies. Returns `image` itself when there is nothing to do."""
    work_mode = _working_mode(mode)
    width, height = image.size
    factor = max(
        width // size[0],
        height // size[1],
        math.ceil(math.sqrt(width * height / _MAX_INTERMEDIATE_PIXELS)),
        1,
    )
    if factor == 1 and image.mode == work_mode:
        return image
    reduced = Image.new(work_mode, (math.ceil(width / factor), math.ceil(height / factor)))
    rows = max(1, _STRIP_PIXELS // (width * factor)) * factor  # whole blocks: no seams
    for top in range(0, height, rows):
        strip = _converted(image.crop((0, top, width, min(top + rows, height))), work_mode)
        reduced.paste(strip.reduce(factor) if factor > 1 else strip, (0, top // factor))
    return reduced


def _resampled(image: Image.Image, size: tuple[int, int], mode: str) -> Image.Image:
    """The rest of the way, less than halving: bicubic (Pillow's choice for thumbnails) looks
    as good as Lanczos there, for two thirds of the work."""
    if image.size != size:
        image = _converted(image, _working_mode(mode)).resize(size, Image.Resampling.BICUBIC)
    return _converted(image, mode)


def _working_mode(mode: str) -> str:
    return "RGBa" if mode == "RGBA" else mode


def _converted(image: Image.Image, mode: str) -> Image.Image:
    if image.mode == mode:
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit greys: scale them, not clip
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if mode == "RGBa" and image.mode != "RGBA":
        image = image.convert("RGBA")  # Pillow premultiplies from RGBA only
    return image.convert(mode)


def _orientation(image: Image.Image) -> int:
    """The EXIF (or XMP) orientation; a malformed block (uploader-controlled) counts as none,
    it is dropped with the rest of the metadata anyway."""
    try:
        return int(image.getexif().get(ExifTags.Base.Orientation, 1))
    except Exception:  # Pillow raises SyntaxError, ValueError, struct.error... on bad EXIF
        return 1


def _pixels_only(image: Image.Image) -> Image.Image:
    """A fresh image holding the pixels only: encoders read ICC profiles and comments from the
    image's info, so nothing of the source's may travel with it."""
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _encode(image: Image.Image, fmt: str) -> Rendition:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **_SAVE_OPTIONS[fmt])
    return Rendition(buffer.getvalue(), image.width, image.height)


def _too_many_pixels(field: str) -> InvalidInput:
    return InvalidInput(field, f"The image is over {MAX_IMAGE_PIXELS:,} pixels.")


def _corrupt(field: str) -> InvalidInput:
    return InvalidInput(field, "The image is corrupt or truncated.")


# --- Structures that are cheap to send and costly to decode --------------------------------


def _refuse_costly_structure(field: str, data: bytes) -> None:
    if data.startswith(b"\xff\xd8"):
        layout = _jpeg_layout(data)
        if layout.header_steps > MAX_JPEG_HEADER_STEPS:
            raise InvalidInput(field, "The JPEG has too many markers before its pixels.")
        if layout.scans > MAX_JPEG_SCANS or layout.block_passes > MAX_JPEG_BLOCK_PASSES:
            raise InvalidInput(field, "The JPEG has too many scans for its size.")
        if layout.scans > 1 and layout.coefficient_bytes > MAX_JPEG_COEFFICIENT_BYTES:
            raise InvalidInput(
                field,
                "This progressive JPEG is too large to decode: "
                "send it as a baseline JPEG, or smaller.",
            )
    elif data.startswith(b"\x89PNG\r\n\x1a\n") and _png_chunks(data) > MAX_PNG_CHUNKS:
        raise InvalidInput(field, f"The PNG has over {MAX_PNG_CHUNKS:,} chunks.")


@dataclass
class _JpegLayout:
    """What decoding the first picture of a JPEG will cost, read from its markers."""

    header_steps: int = 0  # markers and stray bytes before the first scan
    scans: int = 0
    block_passes: int = 0  # 8x8 blocks visited, summed over the scans
    coefficient_bytes: int = 0  # what libjpeg buffers when there are several scans


# In entropy-coded data a 0xFF byte is followed by 0x00 (stuffing) or a restart marker;
# anything else is the next marker.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7]")
_JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # SOFn, not DHT/JPG/DAC
_JPEG_STANDALONE_MARKERS = frozenset({0x01, *range(0xD0, 0xD8)})


def _jpeg_layout(data: bytes) -> _JpegLayout:
    """Walks the markers up to the end of the first picture (or past a limit); a malformed
    file is left for the decoder to refuse."""
    layout, blocks = _JpegLayout(), {}  # blocks: component id -> 8x8 blocks
    position = 2
    while (
        position + 4 <= len(data)
        and layout.header_steps <= MAX_JPEG_HEADER_STEPS
        and layout.scans <= MAX_JPEG_SCANS
        and layout.block_passes <= MAX_JPEG_BLOCK_PASSES
    ):
        if data[position] != 0xFF:  # stray bytes: Pillow steps over them one by one
            marker_at = data.find(b"\xff", position)
            if marker_at < 0:
                break
            layout.header_steps += 0 if layout.scans else marker_at - position
            position = marker_at
            continue
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            layout.header_steps += 0 if layout.scans else 1
            position += 1
            continue
        if marker == 0xD9:  # end of the first picture
            break
        if marker in _JPEG_STANDALONE_MARKERS:
            position += 2
            continue
        layout.header_steps += 0 if layout.scans else 1
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        segment = data[position + 4 : position + 2 + length]
        position += 2 + length
        if marker in _JPEG_FRAME_MARKERS:
            blocks = _component_blocks(segment)
            layout.coefficient_bytes = sum(blocks.values()) * 64 * 2
        elif marker == 0xDA:
            layout.scans += 1
            in_scan = segment[1 : 1 + 2 * segment[0] : 2] if segment else b""
            layout.block_passes += sum(blocks.get(component, 0) for component in in_scan)
            next_marker = _NEXT_MARKER.search(data, position)
            position = next_marker.start() if next_marker else len(data)
    return layout


def _component_blocks(frame: bytes) -> dict[int, int]:
    """8x8 blocks of each component, from a frame header (SOFn)."""
    if len(frame) < 6:
        return {}
    height, width = int.from_bytes(frame[1:3], "big"), int.from_bytes(frame[3:5], "big")
    components = [frame[i : i + 3] for i in range(6, 6 + 3 * frame[5], 3)]
    sampling = {c[0]: (c[1] >> 4, c[1] & 0x0F) for c in components if len(c) == 3}
    if not sampling or 0 in (factor for pair in sampling.values() for factor in pair):
        return {}
    most_h = max(h for h, _ in sampling.values())
    most_v = max(v for _, v in sampling.values())
    return {
        component: math.ceil(width * h / (most_h * 8)) * math.ceil(height * v / (most_v * 8))
        for component, (h, v) in sampling.items()
    }


def _png_chunks(data: bytes) -> int:
    """How many chunks (counting stops past the limit or at IEND)."""
    position, chunks = 8, 0
    while position + 8 <= len(data) and chunks <= MAX_PNG_CHUNKS:
        chunks += 1
        if data[position + 4 : position + 8] == b"IEND":
            break
        position += 12 + int.from_bytes(data[position : position + 4], "big")
    return chunks


# --- WebP: libwebp decodes straight to the published size --------------------------------
#
# Pillow decodes a WebP whole, through libwebp's animation API, into two full-size canvases and
# two copies of their pixels: 620 MB for a 40 MP lossless WebP. libwebp itself can decode to
# a smaller size (lossless files with one full-size buffer of at most 4 bytes a pixel, lossy
# ones row by row), but Pillow does not expose that: the library Pillow loaded is called
# through ctypes, with the structures of its stable decoder ABI (src/webp/decode.h).


class _WebPBitstreamFeatures(ctypes.Structure):
    _fields_ = [
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("has_alpha", ctypes.c_int),
        ("has_animation", ctypes.c_int),
        ("format", ctypes.c_int),
        ("pad", ctypes.c_uint32 * 5),
    ]


class _WebPRGBABuffer(ctypes.Structure):
    _fields_ = [("rgba", ctypes.c_void_p), ("stride", ctypes.c_int), ("size", ctypes.c_size_t)]


class _WebPYUVABuffer(ctypes.Structure):
    _fields_ = [
        *((plane, ctypes.c_void_p) for plane in ("y", "u", "v", "a")),
        *((stride, ctypes.c_int) for stride in ("y_stride", "u_stride", "v_stride", "a_stride")),
        *((size, ctypes.c_size_t) for size in ("y_size", "u_size", "v_size", "a_size")),
    ]


class _WebPBufferUnion(ctypes.Union):
    _fields_ = [("RGBA", _WebPRGBABuffer), ("YUVA", _WebPYUVABuffer)]


class _WebPDecBuffer(ctypes.Structure):
    _fields_ = [
        ("colorspace", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("is_external_memory", ctypes.c_int),
        ("u", _WebPBufferUnion),
        ("pad", ctypes.c_uint32 * 4),
        ("private_memory", ctypes.c_void_p),
    ]


class _WebPDecoderOptions(ctypes.Structure):
    _fields_ = [
        *(
            (option, ctypes.c_int)
            for option in (
                "bypass_filtering",
                "no_fancy_upsampling",
                "use_cropping",
                "crop_left",
                "crop_top",
                "crop_width",
                "crop_height",
                "use_scaling",
                "scaled_width",
                "scaled_height",
                "use_threads",
                "dithering_strength",
                "flip",
                "alpha_dithering_strength",
            )
        ),
        ("pad", ctypes.c_uint32 * 5),
    ]


class _WebPDecoderConfig(ctypes.Structure):
    _fields_ = [
        ("input", _WebPBitstreamFeatures),
        ("output", _WebPDecBuffer),
        ("options", _WebPDecoderOptions),
    ]


_WEBP_DECODER_ABI_VERSION = 0x0209  # libwebp 1.x; the library accepts any 0x02xx
_WEBP_MODES = {"RGB": 0, "RGBA": 1}  # MODE_RGB, MODE_RGBA
_WEBP_LIBRARY_NAME = re.compile(r"/libwebp(-[0-9a-f]+)?\.(so[.0-9]*|[0-9.]*dylib)$")


@functools.cache
def _libwebp() -> ctypes.CDLL | None:
    """The libwebp that Pillow's WebP module uses (its wheels bundle their own copy), bound
    and checked; None if it cannot be found."""
    from PIL import _webp  # noqa: F401  (loads libwebp into this process)

    for path in (*_mapped_libraries(), ctypes.util.find_library("webp")):
        if not path:
            continue
        try:
            library = ctypes.CDLL(path)
            library.WebPInitDecoderConfigInternal.argtypes = [
                ctypes.POINTER(_WebPDecoderConfig),
                ctypes.c_int,
            ]
            library.WebPDecode.argtypes = [
                ctypes.c_char_p,
                ctypes.c_size_t,
                ctypes.POINTER(_WebPDecoderConfig),
            ]
            library.WebPFreeDecBuffer.argtypes = [ctypes.POINTER(_WebPDecBuffer)]
            probe = _WebPDecoderConfig()
            if library.WebPInitDecoderConfigInternal(probe, _WEBP_DECODER_ABI_VERSION):
                return library
        except (OSError, AttributeError):
            continue
    return None


def _mapped_libraries() -> list[str]:
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "libwebp" in line}
    except OSError:  # not Linux
        return []
    return sorted(path for path in paths if _WEBP_LIBRARY_NAME.search(path))


def _decoded_webp(
    field: str, data: bytes, source: Image.Image, size: tuple[int, int], mode: str
) -> Image.Image:
    library = _libwebp()
    animated = data[12:16] == b"VP8X" and bool(data[20] & 0x02)  # the VP8X animation flag
    if library is None or animated:
        # Pillow's way (the first frame of an animation): whole, so only where it can afford it.
        if source.width * source.height > MAX_WEBP_PIXELS_DECODED_WHOLE:
            kind = "An animated WebP" if animated else "A WebP"
            raise InvalidInput(
                field, f"{kind} can be at most {MAX_WEBP_PIXELS_DECODED_WHOLE:,} pixels."
            )
        source.load()
        return _reduced(source, size, mode)
    config = _WebPDecoderConfig()
    if not library.WebPInitDecoderConfigInternal(config, _WEBP_DECODER_ABI_VERSION):
        raise OSError("libwebp refused its decoder configuration")
    stride = size[0] * len(mode)
    pixels = ctypes.create_string_buffer(stride * size[1])
    config.output.colorspace = _WEBP_MODES[mode]
    config.output.is_external_memory = 1
    config.output.u.RGBA.rgba = ctypes.cast(pixels, ctypes.c_void_p)
    config.output.u.RGBA.stride = stride
    config.output.u.RGBA.size = len(pixels)
    if size != source.size:
        config.options.use_scaling = 1
        config.options.scaled_width, config.options.scaled_height = size
    status = library.WebPDecode(data, len(data), config)
    library.WebPFreeDecBuffer(config.output)
    if status != 0:  # VP8_STATUS_OK
        raise OSError(f"libwebp could not decode the image (status {status})")
    return Image.frombuffer(mode, size, pixels, "raw", mode, stride, 1)
