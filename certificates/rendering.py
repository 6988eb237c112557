"""The one certificate renderer: HTML template -> WeasyPrint -> PDF bytes.

WeasyPrint never touches the network or the file system outside the project's own static
files: `StaticOnlyURLFetcher` serves ``data:`` URLs and files under STATICFILES_DIRS and
refuses everything else (http, https, ftp, file:// elsewhere; no redirects). Fonts are the
DejaVu files shipped in static/fonts/ (licence beside them), loaded through @font-face.
One FontConfiguration and one parsed stylesheet live per process: building either costs a
good share of a render.

Names and titles are plain text and reach the PDF through Django's template autoescaping,
so markup prints literally, as typed (tested with hostile names). They are deliberately not
run through core.sanitise.clean_text: that returns HTML for display, and escaping it
again here would print entities instead of the name.
"""

from __future__ import annotations

import base64
import io
import logging
import mimetypes
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.languages import speaking_to
from core.models import Organisation, PageSize, organisation_name

from . import pdf_signing
from .models import Certificate
from .verification import CREDENTIAL_ATTACHMENT

logger = logging.getLogger(__name__)

# PDF/UA-1: tagged PDF (structure tree for screen readers), title shown in the viewer's
# title bar, language in the catalogue. Implies pdf_tags=True (WeasyPrint 70).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "attachments": []}

QR_PIXELS_PER_MODULE = 4
_QR_GREY = bytes([255, 0]) + bytes(254)  # a bytes.translate table: 0 -> white, 1 -> black


def static_roots() -> list[Path]:
    return [Path(directory).resolve() for directory in settings.STATICFILES_DIRS]


class StaticOnlyURLFetcher(URLFetcher):
    """Serve data: URLs and the project's static files; refuse everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)
        self._roots = static_roots()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if path.is_file() and any(path.is_relative_to(root) for root in self._roots):
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    path.as_uri(), path.read_bytes(), {"Content-Type": content_type}
                )
        raise ValueError(f"Blocked by the certificate renderer: {url[:80]}")


@lru_cache(maxsize=1)
def font_config() -> FontConfiguration:
    return FontConfiguration()


def _base_url() -> str:
    return static_roots()[0].as_uri() + "/"


def parsed_stylesheet(name: str) -> CSS:
    """The parsed stylesheet under static/, reused while the file is unchanged.

    Parsing it and compiling its selectors took about a tenth of a warm render. Keyed on
    the file's mtime so an edited stylesheet is picked up without restarting the worker.
    """
    path = static_roots()[0] / name
    return _parse_stylesheet(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _parse_stylesheet(path: Path, mtime_ns: int) -> CSS:
    # The @font-face rules register the fonts with font_config() while parsing, so the
    # two caches live and die together (both per process).
    return CSS(filename=str(path), url_fetcher=StaticOnlyURLFetcher(), font_config=font_config())


def _image_data_uri(image) -> str | None:
    """A Wagtail image as a data: URI (media files are not served to the renderer)."""
    if image is None:
        return None
    try:
        rendition = image.get_rendition("max-800x300")
        with rendition.file.open("rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        logger.warning("Certificate image %s could not be read", image.pk)
        return None
    content_type = mimetypes.guess_type(rendition.file.name)[0] or "image/png"
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def branding() -> Organisation:
    """The organisation setting: name, logo, signatory, colour and paper size."""
    return Organisation.current()


def qr_data_uri(url: str) -> str:
    """The URL as a QR code: a black-and-white PNG, 4 pixels per module.

    segno's SVG made WeasyPrint parse and draw hundreds of path segments on every render
    (about a tenth of it); a small raster costs almost nothing. The stylesheet turns off
    smoothing (image-rendering: pixelated), and 4 pixels per module keep the edges sharp
    in viewers that smooth anyway.
    """
    qr = segno.make(url, error="m")
    width, height = qr.symbol_size(scale=1, border=0)
    # qr.matrix holds 1 for a dark module, 0 for a light one: map them to grey levels.
    pixels = b"".join(qr.matrix).translate(_QR_GREY)
    image = Image.frombytes("L", (width, height), pixels).resize(
        (width * QR_PIXELS_PER_MODULE, height * QR_PIXELS_PER_MODULE), Image.Resampling.NEAREST
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return f"data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode('ascii')}"


def certificate_html(certificate: Certificate, *, settings_obj=None) -> str:
    brand = settings_obj or branding()
    verify_url = certificate.get_verify_url()
    context = {
        "certificate": certificate,
        "brand": brand,
        "logo": _image_data_uri(brand.logo),
        "signature": _image_data_uri(brand.signature),
        "page_size": "A4" if brand.page_size == PageSize.A4 else "letter",
        "qr": qr_data_uri(verify_url),
        "verify_url": verify_url,
        "issued_on": timezone.localtime(certificate.issued_at).date(),
    }
    return render_to_string("certificates/pdf/certificate.html", context)


# The HTML scope of a header cell -> the PDF /Scope of its /TH structure element.
_PDF_SCOPES = {"row": "/Row", "rowgroup": "/Row", "col": "/Column", "colgroup": "/Column"}


def tag_table_header_scopes(document, pdf) -> None:
    """A WeasyPrint finisher: give every /TH structure element the /Scope its <th> declares.

    WeasyPrint 70 gives header cells an /ID and data cells /Headers, but writes no /Scope,
    so PDF/UA checkers (pdfua's UA-15-003) and screen readers that read only /Scope cannot
    tell which cells a header names. While tagging, WeasyPrint keeps each cell's structure
    element on its box as ``mark``; this runs after tagging, before the file is written.
    A <th> without scope counts as a column header, as WeasyPrint's own /Headers do.
    """
    for page in document.pages:
        for box in page._page_box.descendants():
            mark = getattr(box, "mark", None)
            if mark is not None and box.element_tag == "th":
                scope = (box.element.get("scope") or "col").lower()
                mark["A"]["Scope"] = _PDF_SCOPES.get(scope, "/Column")


def _write_pdf(html: str, *, stylesheet: str, attachments=()) -> bytes:
    document = HTML(string=html, base_url=_base_url(), url_fetcher=StaticOnlyURLFetcher())
    options = dict(PDF_OPTIONS, attachments=list(attachments))
    return document.write_pdf(
        stylesheets=[parsed_stylesheet(stylesheet)],
        font_config=font_config(),
        finisher=tag_table_header_scopes,
        **options,
    )


def credential_attachment(credential_json: str) -> Attachment:
    """The signed Open Badges credential as a file inside the PDF, so the PDF alone is
    enough to check the certificate offline (/verify/ reads it back out)."""
    return Attachment(
        string=credential_json,
        name=CREDENTIAL_ATTACHMENT,
        description=_("Signed Open Badges 3.0 credential (verify it at /verify/)"),
        relationship="Supplement",
        url_fetcher=StaticOnlyURLFetcher(),
    )


def render_certificate(certificate: Certificate) -> bytes:
    return sign_certificate_pdf(certificate, render_unsigned_certificate(certificate))


def render_unsigned_certificate(certificate: Certificate) -> bytes:
    """The certificate PDF before its PAdES signature (`make bench` times the two apart).
    In the teacher's language (their saved choice when it is issued); the course title and
    their name stay as they are."""
    with speaking_to(certificate.user):
        html = certificate_html(certificate)
        attachments = (
            [credential_attachment(certificate.credential_json)]
            if certificate.credential_json
            else []
        )
    return _write_pdf(html, stylesheet="css/certificate.css", attachments=attachments)


def sign_certificate_pdf(certificate: Certificate, content: bytes) -> bytes:
    # The name from the shared cache, as the signing certificate's subject has it: no query.
    with speaking_to(certificate.user):
        reason = _("Certificate %(code)s issued by %(organisation)s") % {
            "code": certificate.code,
            "organisation": organisation_name(),
        }
    return pdf_signing.sign_pdf(content, reason=reason)


def render_transcript(*, user, transcript) -> bytes:
    with speaking_to(user):
        html = render_to_string(
            "certificates/pdf/transcript.html",
            {
                "owner": user,
                "transcript": transcript,
                "brand": branding(),
                "generated_on": timezone.localdate(),
            },
        )
    return _write_pdf(html, stylesheet="css/certificate.css")
