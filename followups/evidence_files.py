"""Checking an uploaded evidence file before it is stored.

The type comes from the file's content (the `filetype` library reads its first bytes), never
from its name or the browser's Content-Type. Then each kind gets a closer look:

- PNG and JPEG are decoded and saved again by Pillow. That drops EXIF (a phone photo's
  location), other metadata and anything smuggled after the image data, and proves the
  picture is whole (a file cut off halfway does not decode).
- PDF is parsed by pypdf; a PDF that carries JavaScript, launch actions, embedded files or
  automatic actions is REJECTED (not neutralised: rewriting a PDF safely is a bigger job
  than refusing one, and a teacher can always print to PDF again). A file without its end
  marker (an upload cut off) is rejected too.
- DOCX must be a whole zip with a Word document inside and no macros.

SVG, HTML and everything else is refused: they are not on the list.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

MAX_BYTES = 10 * 1024 * 1024
ALLOWED_NAMES = _("PDF, PNG, JPEG or Word (DOCX)")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# What filetype may report, and what we store it as.
KINDS = {
    "image/png": ("png", "image/png"),
    "image/apng": ("png", "image/png"),  # an animated PNG: saved again as its first frame
    "image/jpeg": ("jpg", "image/jpeg"),
    "application/pdf": ("pdf", "application/pdf"),
    DOCX: ("docx", DOCX),
}
# PDF names that run something or carry something: /JS, /JavaScript, /Launch, /OpenAction
# and /AA (actions run on open or on events), /EmbeddedFile(s), /RichMedia, /XFA (forms
# with scripts). Names may be written with #xx escapes, so they are decoded first.
PDF_ACTIVE_NAMES = re.compile(
    rb"/(JS|JavaScript|Launch|OpenAction|AA|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)\b"
)
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
MAX_IMAGE_PIXELS = 40_000_000  # a 10 MB decompression bomb would unpack far beyond this


class EvidenceRejected(Exception):
    """The file cannot be kept; the message tells the teacher why, in plain words."""


@dataclass
class CheckedFile:
    content: bytes
    extension: str
    content_type: str


def check_evidence(data: bytes) -> CheckedFile:
    """The file's bytes made safe to keep, or EvidenceRejected."""
    if not data:
        raise EvidenceRejected(_("That file is empty. Choose the file again."))
    if len(data) > MAX_BYTES:
        raise EvidenceRejected(_("That file is larger than 10 MB. Try a smaller photo or a PDF."))
    guessed = filetype.guess_mime(data)
    if guessed == "application/zip":
        # filetype names a zip a Word file only if it finds the Word part near the start; a
        # .docx cut off halfway (or saved oddly) gets the closer look and a precise message.
        guessed = DOCX
    if guessed not in KINDS:
        raise EvidenceRejected(
            _("We can only keep %(kinds)s files, and this one is not one of them.")
            % {"kinds": ALLOWED_NAMES}
        )
    extension, content_type = KINDS[guessed]
    if extension in ("png", "jpg"):
        content = _clean_image(data, extension)
    elif extension == "pdf":
        content = _check_pdf(data)
    else:
        content = _check_docx(data)
    return CheckedFile(content=content, extension=extension, content_type=content_type)


def _is_whole_image(data: bytes, extension: str) -> bool:
    """The image's end marker is there. Pillow alone cannot tell: another library in the
    process (Willow) sets ImageFile.LOAD_TRUNCATED_IMAGES, which pads a cut-off picture."""
    if extension == "png":
        return data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82")
    return b"\xff\xd9" in data[-32:]


def _clean_image(data: bytes, extension: str) -> bytes:
    if not _is_whole_image(data, extension):
        raise EvidenceRejected(
            _("That picture seems damaged or incomplete. Try uploading it again.")
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # checksums of a PNG's chunks; structure of a JPEG
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise EvidenceRejected(_("That picture is too large. Try a smaller photo."))
            image.load()
            # A phone photo is stored sideways with an EXIF note saying which way is up:
            # turn the pixels now, because the note is about to go.
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if extension == "jpg":
                image.convert("RGB").save(out, format="JPEG", quality=90)
            else:
                image.save(out, format="PNG")
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        raise EvidenceRejected(
            _("That picture seems damaged or incomplete. Try uploading it again.")
        ) from error
    return out.getvalue()


def _check_pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-2048:]:
        raise EvidenceRejected(_("That PDF seems incomplete. Try uploading it again."))
    if PDF_ACTIVE_NAMES.search(_decoded_names(data)):
        raise _active_pdf()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise EvidenceRejected(_("That PDF is password-protected. Save it without a password."))
        # Names inside compressed object streams are invisible to the byte scan above:
        # read every object pypdf can reach and scan it again, decoded.
        for number in range(1, _object_count(reader)):
            try:
                obj = reader.get_object(number)
            except Exception:  # noqa: BLE001 - a missing object number is not a threat
                continue
            if obj is not None and PDF_ACTIVE_NAMES.search(repr(obj).encode("latin-1", "replace")):
                raise _active_pdf()
    except PdfReadError as error:
        raise EvidenceRejected(_("That PDF seems damaged. Try saving it again.")) from error
    return data


def _object_count(reader) -> int:
    size = reader.trailer.get("/Size", 0)
    return min(int(size), 200_000)


def _decoded_names(data: bytes) -> bytes:
    return PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def _active_pdf() -> EvidenceRejected:
    return EvidenceRejected(
        _(
            "That PDF contains scripts or embedded files, which we do not accept. Print it to "
            "a new PDF (or save it as an image) and upload that."
        )
    )


def _check_docx(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if archive.testzip() is not None:
                raise zipfile.BadZipFile
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise EvidenceRejected(
            _("That Word file seems damaged or incomplete. Try saving it again.")
        ) from error
    if "word/document.xml" not in names:
        raise EvidenceRejected(_("That is not a Word document."))
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise EvidenceRejected(
            _("That Word file contains macros. Save it as a plain .docx and upload that.")
        )
    return data
