"""The image pipeline for uploads: decode at a bounded cost, orient, strip every byte of
metadata, resize, re-encode.

Every accepted input, however crafted, must cost at most about 2 s of CPU and 300 MB of
memory. So the size is checked from the header before anything is decoded; JPEGs are decoded
at a reduced scale (libjpeg's DCT scaling); a full-size bitmap is never converted or copied
whole, but shrunk a strip at a time; and the encoders run with settings of bounded cost on
the small result.
"""

import io
import math
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
