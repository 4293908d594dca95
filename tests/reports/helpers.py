import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """The PDF's text with every run of whitespace (line breaks included) as one space."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
