import io

import pytest
from PIL import Image

from followups.evidence_files import MAX_BYTES, EvidenceRejected, check_evidence
from tests import factories

SCRIPTED_PDFS = {
    "open action with javascript": b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
    "name written with #xx escapes": b"/Names << /J#61vaScript 4 0 R >>",
    "launch action": b"/OpenAction << /S /Launch /F (cmd.exe) >>",
    "embedded file": b"/Names << /EmbeddedFiles 4 0 R >>",
}


def rejected(data: bytes) -> str:
    with pytest.raises(EvidenceRejected) as caught:
        check_evidence(data)
    return str(caught.value)


def test_a_photo_keeps_its_picture_but_loses_its_location():
    original = factories.jpeg_bytes(exif_location=True)
    assert dict(Image.open(io.BytesIO(original)).getexif())  # the phone's GPS block is there
    checked = check_evidence(original)
    assert checked.content_type == "image/jpeg"
    cleaned = Image.open(io.BytesIO(checked.content))
    assert dict(cleaned.getexif()) == {}
    assert cleaned.size == (40, 30)


def test_a_png_loses_its_metadata_too():
    checked = check_evidence(factories.png_bytes(exif_location=True))
    assert checked.extension == "png"
    assert dict(Image.open(io.BytesIO(checked.content)).getexif()) == {}


def test_pdf_and_docx_are_kept_as_they_are():
    pdf, docx = factories.pdf_bytes(), factories.docx_bytes()
    assert check_evidence(pdf).content == pdf
    assert check_evidence(docx).extension == "docx"


@pytest.mark.parametrize("extra", SCRIPTED_PDFS.values(), ids=SCRIPTED_PDFS.keys())
def test_a_pdf_that_runs_or_carries_something_is_rejected(extra):
    assert "scripts or embedded files" in rejected(factories.pdf_bytes(extra=extra))


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"\x00\x01 not a known file at all",
    ],
    ids=["html", "svg with script", "gif", "unknown"],
)
def test_files_that_are_not_on_the_list_are_refused_whatever_their_name(data):
    assert "PDF, PNG, JPEG or Word" in rejected(data)


def test_empty_and_oversized_files_are_refused():
    assert "empty" in rejected(b"")
    assert "larger than 10 MB" in rejected(b"%PDF-1.4\n" + b"0" * MAX_BYTES)


def test_files_cut_off_halfway_are_refused():
    png = factories.png_bytes(size=(300, 200))
    assert "incomplete" in rejected(png[: len(png) // 2])
    jpeg = factories.jpeg_bytes()
    assert "incomplete" in rejected(jpeg[: len(jpeg) // 2])
    pdf = factories.pdf_bytes()
    assert "incomplete" in rejected(pdf[: len(pdf) // 2])
    docx = factories.docx_bytes()
    assert "incomplete" in rejected(docx[: len(docx) // 2])


def test_a_word_file_with_macros_is_refused():
    assert "macros" in rejected(factories.docx_bytes(macros=True))
