"""A new certificate's PDF points at BASE_URL: its printed verify URL and its QR code."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_new_pdf_prints_and_encodes_the_verify_url_on_base_url(
    credit_course, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.WAGTAILADMIN_BASE_URL = "https://pd.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        certificate = factories.certificate(credit_course)
    certificate.refresh_from_db()
    content = certificate.pdf.read()  # rendered by the task the issue queued
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    expected = f"https://pd.example.org/verify/{certificate.code}/"
    assert expected in text.replace("\n", "")
    assert "testserver" not in text and "127.0.0.1" not in text

    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdftoppm) is installed by `make test`")
    (tmp_path / "certificate.pdf").write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-singlefile",
            str(tmp_path / "certificate.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    results = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [result.text for result in results] == [expected]
