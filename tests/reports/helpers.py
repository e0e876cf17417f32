"""Parsing exported documents back for the tests."""

from __future__ import annotations

import io
import re

import docx
from docx.document import Document
from docx.oxml.ns import qn

DATE = re.compile(r"^\d{2}\.\d{2}\.\d{4}$")


def open_docx(data: bytes) -> Document:
    """A python-docx document from bytes."""
    return docx.Document(io.BytesIO(data))


def grid(table: object) -> list[list[str]]:
    """A table's cell texts, row by row."""
    return [[cell.text for cell in row.cells] for row in table.rows]  # type: ignore[attr-defined]


def headings(document: Document, level: int = 1) -> list[str]:
    """The texts of headings of one level."""
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == f"Heading {level}"]


def header_xml(document: Document) -> str:
    """All header parts' XML (text runs and the watermark shape)."""
    return "".join(section.header._element.xml for section in document.sections)  # type: ignore[attr-defined]


def header_text(document: Document) -> str:
    """The visible text of every section's header."""
    return " ".join(p.text for section in document.sections for p in section.header.paragraphs)


def repeats_header_row(table: object) -> bool:
    """Whether the first row is marked to repeat at the top of each page."""
    tr = table.rows[0]._tr  # type: ignore[attr-defined]
    return tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None


def body_order(document: Document) -> list[str]:
    """The body's block sequence as 'p', 'tbl' and 'sect' (a paragraph that ends a section)."""
    order = []
    for el in document.element.body.iterchildren():
        if el.tag == qn("w:tbl"):
            order.append("tbl")
        elif el.tag == qn("w:p"):
            ppr = el.pPr
            order.append("sect" if ppr is not None and ppr.sectPr is not None else "p")
    return order


def style_name(paragraph: object) -> str:
    """A paragraph's style name ('' when it has none)."""
    style = paragraph.style  # type: ignore[attr-defined]
    return "" if style is None else str(style.name)


def captions(document: Document) -> list[str]:
    """The texts of the numbered table captions."""
    return [p.text for p in document.paragraphs if style_name(p) == "Caption"]


def is_landscape(section: object) -> bool:
    """Whether a section's page is wider than tall."""
    width, height = section.page_width, section.page_height  # type: ignore[attr-defined]
    return width is not None and height is not None and width > height
