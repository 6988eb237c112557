import io
import logging
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pypdf import PdfReader

from certificates import rendering
from certificates.selectors import transcript_for
from core.models import Organisation, PageSize
from tests import factories

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def counting_server():
    """A local web server that counts every request made to it."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_the_pdf_prints_name_course_hours_code_and_verify_url(credit_course):
    certificate = factories.certificate(
        credit_course, user=factories.teacher(full_name="Maya Chen")
    )
    text = pdf_text(rendering.render_certificate(certificate))
    assert "Maya Chen" in text
    assert credit_course.title in text
    assert "6 hours" in text
    assert "Clock hours" in text
    assert "TEA-902-114" in text
    assert certificate.code in text
    assert f"http://testserver/verify/{certificate.code}/" in text.replace("\n", "")


def test_the_pdf_is_tagged_titled_and_declares_its_language(credit_course):
    certificate = factories.certificate(
        credit_course, user=factories.teacher(full_name="Maya Chen")
    )
    reader = PdfReader(io.BytesIO(rendering.render_certificate(certificate)))
    catalog = reader.trailer["/Root"]
    assert reader.metadata.title.startswith("Certificate: Course equity")
    assert str(catalog["/Lang"]).startswith("en")
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape


def test_letter_is_the_default_and_a4_can_be_chosen_in_settings(credit_course):
    certificate = factories.certificate(credit_course)
    letter = PdfReader(io.BytesIO(rendering.render_certificate(certificate))).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (792, 612)
    site_settings = Organisation.for_site(credit_course.get_site())
    site_settings.page_size = PageSize.A4
    site_settings.save()
    a4 = PdfReader(io.BytesIO(rendering.render_certificate(certificate))).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (842, 595)


def test_branding_from_site_settings_is_printed(credit_course):
    site_settings = Organisation.for_site(credit_course.get_site())
    site_settings.name = "Lakeside Unified"
    site_settings.signatory_name = "Dr. Ana Ruiz"
    site_settings.signatory_title = "Director of Professional Learning"
    site_settings.save()
    text = pdf_text(rendering.render_certificate(factories.certificate(credit_course)))
    assert "LAKESIDE UNIFIED" in text.upper()
    assert "Dr. Ana Ruiz" in text
    assert "Director of Professional Learning" in text


def test_markup_in_a_name_or_title_prints_as_text_and_fetches_nothing(
    credit_course, counting_server
):
    base, hits = counting_server
    hostile_name = f'<img src="{base}/n.png"><link rel="attachment" href="file:///etc/hostname">'
    credit_course.title = (
        f'Equity <div style="background: url({base}/bg.png)">x</div>'
        f"<style>@import url({base}/x.css);</style>"
    )
    credit_course.save()
    certificate = factories.certificate(
        credit_course, user=factories.teacher(full_name=hostile_name)
    )
    content = rendering.render_certificate(certificate)
    assert hits == []
    reader = PdfReader(io.BytesIO(content))
    # The one attachment is our signed credential; the hostile <link rel="attachment">
    # attached nothing.
    certificate.refresh_from_db()
    assert reader.attachments == {"credential.json": [certificate.credential_json.encode()]}
    text = pdf_text(content).replace("\n", "")
    assert '<img src="' in text
    assert "background: url(" in text


def test_the_url_fetcher_refuses_the_network_and_files_outside_static(counting_server):
    base, hits = counting_server
    fetcher = rendering.StaticOnlyURLFetcher()
    for url in (f"{base}/x.png", "file:///etc/hostname", "ftp://127.0.0.1/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    static_font = (rendering.static_roots()[0] / "fonts" / "DejaVuSans.ttf").as_uri()
    assert fetcher.fetch(static_font).read()[:4] == b"\x00\x01\x00\x00"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    assert hits == []


def test_a_document_with_real_remote_references_renders_without_fetching(counting_server):
    base, hits = counting_server
    html = (
        f'<html lang="en"><head><title>t</title><link rel="stylesheet" href="{base}/s.css">'
        f'<link rel="attachment" href="file:///etc/hostname"></head>'
        f'<body><img src="{base}/a.png">'
        f'<p style="background: url({base}/b.png)">Hi</p></body></html>'
    )
    content = rendering._write_pdf(html, stylesheet="css/certificate.css")
    assert hits == []
    assert PdfReader(io.BytesIO(content)).attachments == {}


def test_the_stylesheet_is_parsed_once_and_again_after_an_edit(settings, tmp_path):
    settings.STATICFILES_DIRS = [tmp_path]
    sheet = tmp_path / "sheet.css"
    sheet.write_text("body { color: black; }")
    first = rendering.parsed_stylesheet("sheet.css")
    assert rendering.parsed_stylesheet("sheet.css") is first
    sheet.write_text("body { color: red; }")
    # Some file systems keep coarse mtimes: move it on explicitly.
    mtime_ns = sheet.stat().st_mtime_ns + 1_000_000_000
    os.utime(sheet, ns=(mtime_ns, mtime_ns))
    assert rendering.parsed_stylesheet("sheet.css") is not first


def test_weasyprint_uses_harfbuzz_not_the_slow_fonttools_fallback(credit_course, caplog):
    certificate = factories.certificate(credit_course)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        rendering.render_certificate(certificate)
    assert not [r for r in caplog.records if "fontTools" in r.getMessage()]


def test_the_transcript_pdf_lists_certificates_and_totals(credit_course):
    from certificates.selectors import transcript_for

    teacher = factories.teacher(full_name="Maya Chen")
    certificate = factories.certificate(credit_course, user=teacher)
    text = pdf_text(
        rendering.render_transcript(user=teacher, transcript=transcript_for(user=teacher))
    )
    assert "Maya Chen" in text
    assert certificate.code in text
    assert "6 hours" in text


def test_the_qr_code_decodes_to_the_public_verify_url(credit_course, tmp_path):
    import shutil
    import subprocess

    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdftoppm) is installed by `make test`")
    certificate = factories.certificate(credit_course)
    pdf_path = tmp_path / "certificate.pdf"
    pdf_path.write_bytes(rendering.render_certificate(certificate))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf_path), str(tmp_path / "page")],
        check=True,
    )
    results = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [result.text for result in results] == [f"http://testserver/verify/{certificate.code}/"]


def test_a_spanish_speaking_teachers_certificate_has_spanish_labels(credit_course):
    certificate = factories.certificate(
        credit_course, user=factories.teacher(full_name="Rosa Díaz", language="es")
    )
    content = rendering.render_certificate(certificate)
    text = pdf_text(content)
    assert "Certificado de finalización" in text
    assert "Se certifica que" in text and "This certifies that" not in text
    assert credit_course.title in text  # course content stays as written
    assert str(PdfReader(io.BytesIO(content)).trailer["/Root"]["/Lang"]) == "es"


def test_the_transcript_is_in_its_owners_language(credit_course):
    teacher = factories.teacher(full_name="Rosa Díaz", language="es")
    factories.certificate(credit_course, user=teacher)
    transcript = transcript_for(user=teacher)
    text = pdf_text(rendering.render_transcript(user=teacher, transcript=transcript))
    assert "Expediente de créditos de DP" in text
