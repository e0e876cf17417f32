"""An official-looking DOCX built with python-docx: A4, Times New Roman, numbered tables, page numbers.

Shared by the publication package and the quarterly report. Large tables are written as one
XML fragment (parsed once) instead of cell by cell, which keeps a 2,000-row table in seconds.

The footer's "page x of y" are PAGE/NUMPAGES fields marked dirty, so Word and LibreOffice lay
them out afresh; the value stored for viewers that do not paginate (previews, converters) is an
estimate of the page count from the text and table sizes, not a constant "1".
"""

from __future__ import annotations

import io
import math
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor

from tyndau.reports.i18n import Strings
from tyndau.reports.tables import Table, display
from tyndau.reports.text import one_line

FONT = "Times New Roman"
TWIPS_PER_MM = 56.6929
LANG_TAGS = {"ru": "ru-RU", "kk": "kk-KZ"}
RIGHT = {"int", "money", "percent"}
CENTRE = {"date", "bool"}
HEADER_FILL = "E7E6E6"
MM_PER_PT = 0.3528
CHAR_EM = 0.47  # Times New Roman: average character width in em
LINE = 1.16  # single line spacing, as a multiple of the font size
_V = "urn:schemas-microsoft-com:vml"
_O = "urn:schemas-microsoft-com:office:office"


class DocxWriter:
    """Builds one document top to bottom; tables are numbered as they are added."""

    def __init__(self, s: Strings, *, final: bool, title: str) -> None:
        self.s = s
        self.final = final
        self.doc = Document()
        self.tables_added = 0
        self._used_mm = 0.0  # estimated height used in the current section
        self._pages = 0  # estimated pages of the sections already closed
        self._numpages: list[object] = []
        self._setup_styles()
        core = self.doc.core_properties
        core.title = one_line(title if final else f"{s.t('doc.draft')}: {title}", 255)  # the format's limit
        core.language = LANG_TAGS[s.lang]
        core.author = "Tyndau"
        section = self.doc.sections[0]
        _page(section, landscape=False)
        self._decorate(section)

    # -- styles and sections -------------------------------------------------------------

    def _setup_styles(self) -> None:
        """Times New Roman throughout, black headings, compact table paragraph styles."""
        styles = self.doc.styles
        lang = LANG_TAGS[self.s.lang]
        for name, size, bold in (("Normal", 12, False), ("Title", 14, True), ("Heading 1", 13, True), ("Heading 2", 12, True), ("Caption", 11, True)):
            style = styles[name]
            font = style.font
            font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, False
            font.color.rgb = RGBColor(0, 0, 0)
            rpr = style.element.get_or_add_rPr()
            fonts = rpr.get_or_add_rFonts()
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attr), FONT)
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
                fonts.attrib.pop(qn(attr), None)
            lang_el = rpr.find(qn("w:lang"))
            if lang_el is None:
                lang_el = OxmlElement("w:lang")
                rpr.append(lang_el)
            lang_el.set(qn("w:val"), lang)
            lang_el.set(qn("w:bidi"), lang)
            fmt = style.paragraph_format
            fmt.space_after = Pt(6)
            if name != "Normal":
                fmt.keep_with_next = True
        styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        styles["Title"].element.get_or_add_pPr().remove_all("w:pBdr")
        styles["Heading 1"].paragraph_format.space_before = Pt(12)
        styles["Caption"].paragraph_format.space_before = Pt(10)
        styles["Caption"].paragraph_format.space_after = Pt(4)
        for name in ("Header", "Footer"):
            styles[name].font.name, styles[name].font.size = FONT, Pt(10)
        for name, size, bold in (("Table Text", 10, False), ("Table Header", 10, True)):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.font.size, style.font.bold = Pt(size), bold
            fmt = style.paragraph_format
            fmt.space_after, fmt.space_before, fmt.line_spacing = Pt(0), Pt(0), 1.0
            if bold:
                fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._text_style = styles["Table Text"].style_id
        self._header_style = styles["Table Header"].style_id

    def _decorate(self, section: Section) -> None:
        """Page numbers in the footer; the DRAFT mark and watermark in the header unless final."""
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._numpages.extend(_template_with_fields(footer, self.s.t("footer.page", page="{page}", pages="{pages}")))
        if self.final:
            return
        head = section.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        mark = head.add_run(self.s.t("doc.draft"))
        mark.bold, mark.font.size, mark.font.color.rgb = True, Pt(14), RGBColor(0xC0, 0, 0)
        note = head.add_run("  " + self.s.t("doc.draft_note"))
        note.font.size, note.font.color.rgb = Pt(9), RGBColor(0xC0, 0, 0)
        head._p.append(_watermark(self.s.t("doc.draft")))

    def landscape_section(self) -> None:
        """Start a new page in landscape orientation (header and footer carry over)."""
        self._pages += self._section_pages()
        self._used_mm = 0.0
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _page(section, landscape=True)

    # -- content -------------------------------------------------------------------------

    def title_block(self, title: str, subtitle: str, meta: list[str]) -> None:
        """The document's title, its subtitle and right-aligned meta lines (generated at, deadline)."""
        self._text(title, 14, after_pt=6)
        self._text(subtitle, 12, after_pt=6)
        for line in meta:
            self._text(line, 10)
        self.doc.add_paragraph(title, style="Title")
        sub = self.doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sub.add_run(subtitle).italic = True
        for line in meta:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.space_after = Pt(0)
            p.add_run(line).font.size = Pt(10)

    def heading(self, text: str, level: int = 1) -> None:
        """A numbered section heading (the number is part of the text)."""
        self._text(text, 13, after_pt=18)
        self.doc.add_heading(text, level=level)

    def labelled(self, label: str, value: str) -> None:
        """'Label: value' with a bold label."""
        self._text(f"{label}: {value}", 12, after_pt=2)
        p = self.doc.add_paragraph()
        p.paragraph_format.space_after = Pt(2)
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)

    def paragraph(self, text: str) -> None:
        """A plain body paragraph."""
        self._text(text, 12)
        self.doc.add_paragraph(text)

    def note(self, text: str) -> None:
        """An italic note (what a reader must know about the text below it)."""
        self._text(text, 12)
        run = self.doc.add_paragraph().add_run(text)
        run.italic = True

    def table(self, table: Table, *, font_pt: float = 10) -> None:
        """A numbered caption and the table, header row repeated on every page, rows kept whole."""
        self.tables_added += 1
        self.doc.add_paragraph(self.s.t("table.caption", n=self.tables_added, title=table.caption), style="Caption")
        section = self.doc.sections[-1]
        page, left, right = section.page_width or Mm(210), section.left_margin or 0, section.right_margin or 0
        usable = (page - left - right) / 635  # EMU -> twips
        total = sum(c.width for c in table.columns) or 1
        widths = [int(usable * c.width / total) for c in table.columns]
        self._text(table.caption, 11, after_pt=14)
        self._table_height(table, [w / TWIPS_PER_MM for w in widths], font_pt)
        self.doc.element.body.sectPr.addprevious(parse_xml(self._table_xml(table, widths, font_pt)))

    def _table_xml(self, table: Table, widths: list[int], font_pt: float) -> str:
        size = f'<w:sz w:val="{int(font_pt * 2)}"/><w:szCs w:val="{int(font_pt * 2)}"/>'
        head_pt = font_pt if font_pt >= 10 else font_pt - 1
        head_size = f'<w:sz w:val="{int(head_pt * 2)}"/><w:szCs w:val="{int(head_pt * 2)}"/>'
        border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        parts = [
            (
                f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblW w:w=\"{sum(widths)}\" w:type=\"dxa\"/>"
                f"<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
                '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
                '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>'
            ),
            *(f'<w:gridCol w:w="{w}"/>' for w in widths),
            "</w:tblGrid>",
        ]
        head_cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>'
            f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{self._header_style}"/></w:pPr>'
            f"<w:r><w:rPr>{head_size}</w:rPr><w:t xml:space=\"preserve\">{escape(c.header)}</w:t></w:r></w:p></w:tc>"
            for c, w in zip(table.columns, widths)
        )
        parts.append(f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head_cells}</w:tr>")
        rows = list(table.rows) + ([table.footer] if table.footer is not None else [])
        last = len(rows) - 1
        for index, row in enumerate(rows):
            bold = "<w:b/>" if table.footer is not None and index == last else ""
            cells = []
            for col, w, value in zip(table.columns, widths, row):
                jc = "right" if col.kind in RIGHT else "center" if col.kind in CENTRE or col.key == "number" else "left"
                runs = f'<w:r><w:rPr>{bold}{size}</w:rPr><w:br/></w:r>'.join(
                    f'<w:r><w:rPr>{bold}{size}</w:rPr><w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
                    for line in display(value, col, self.s).split("\n")
                )
                cells.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{self._text_style}"/>'
                    f'<w:jc w:val="{jc}"/></w:pPr>{runs}</w:p></w:tc>'
                )
            parts.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>")
        parts.append("</w:tbl>")
        return "".join(parts)

    # -- the page estimate ----------------------------------------------------------------

    def _page_mm(self) -> tuple[float, float]:
        """Usable width and height of the current section's page, in mm."""
        section = self.doc.sections[-1]
        width = (section.page_width - section.left_margin - section.right_margin) / 36000  # EMU -> mm
        height = (section.page_height - section.top_margin - section.bottom_margin) / 36000
        return width, height

    def _lines(self, text: str, width_mm: float, font_pt: float) -> int:
        per_line = max(1, int(width_mm / (CHAR_EM * font_pt * MM_PER_PT)))
        return sum(max(1, math.ceil(len(part) / per_line)) for part in (text or " ").split("\n"))

    def _text(self, text: str, font_pt: float, after_pt: float = 6) -> None:
        width, _ = self._page_mm()
        self._used_mm += self._lines(text, width, font_pt) * font_pt * LINE * MM_PER_PT + after_pt * MM_PER_PT

    def _table_height(self, table: Table, widths_mm: list[float], font_pt: float) -> None:
        _, height = self._page_mm()
        rows = [tuple(c.header for c in table.columns), *(tuple(display(v, c, self.s) for c, v in zip(table.columns, r)) for r in table.rows)]
        if table.footer is not None:
            rows.append(tuple(display(v, c, self.s) for c, v in zip(table.columns, table.footer)))
        for cells in rows:
            lines = max(self._lines(text, max(1.0, w - 2), font_pt) for text, w in zip(cells, widths_mm))
            row = lines * font_pt * LINE * MM_PER_PT + 0.6
            if self._used_mm % height + row > height:  # a row is never split across pages
                self._used_mm += height - self._used_mm % height
            self._used_mm += row

    def _section_pages(self) -> int:
        _, height = self._page_mm()
        return max(1, math.ceil(self._used_mm / height - 1e-9))

    def estimated_pages(self) -> int:
        """How many pages the document should have (what a non-paginating viewer shows as "of y")."""
        return self._pages + self._section_pages()

    def to_bytes(self) -> bytes:
        """The finished .docx file."""
        for cached in self._numpages:
            cached.text = str(self.estimated_pages())  # type: ignore[attr-defined]
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _page(section: Section, *, landscape: bool) -> None:
    """A4 with the margins of Kazakhstan's office-work rules (30 mm binding margin)."""
    short, long_ = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    if landscape:
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(30), Mm(15), Mm(20), Mm(15)
    else:
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _template_with_fields(paragraph: object, template: str) -> list[object]:
    """Write text with ``{page}``/``{pages}`` replaced by live PAGE/NUMPAGES fields; returns NUMPAGES' stored values."""
    p = paragraph._p  # type: ignore[attr-defined]
    rest = template
    numpages: list[object] = []
    while rest:
        cut = min((i for i in (rest.find("{page}"), rest.find("{pages}")) if i >= 0), default=-1)
        if cut < 0:
            p.append(_run(rest))
            break
        if cut:
            p.append(_run(rest[:cut]))
        name = "NUMPAGES" if rest.startswith("{pages}", cut) else "PAGE"
        parts = _field(name)
        for el in parts:
            p.append(el)
        if name == "NUMPAGES":
            numpages.append(parts[3].find(qn("w:t")))  # type: ignore[attr-defined]
        rest = rest[cut + (7 if name == "NUMPAGES" else 6):]
    return numpages


def _run(text: str) -> object:
    return parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:sz w:val="20"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>')


def _field(name: str) -> list[object]:
    w = nsdecls("w")
    return [
        parse_xml(f'<w:r {w}><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'),
        parse_xml(f'<w:r {w}><w:instrText xml:space="preserve"> {name} </w:instrText></w:r>'),
        parse_xml(f'<w:r {w}><w:fldChar w:fldCharType="separate"/></w:r>'),
        parse_xml(f'<w:r {w}><w:rPr><w:sz w:val="20"/></w:rPr><w:t>1</w:t></w:r>'),
        parse_xml(f'<w:r {w}><w:fldChar w:fldCharType="end"/></w:r>'),
    ]


def _watermark(text: str) -> object:
    """Word's own diagonal text watermark (a VML text path behind the page content)."""
    return parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="{_V}" xmlns:o="{_O}"><w:pict>'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">'
        '<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>'
        '<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/>'
        '<v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
        '<v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom" '
        'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
        '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
        '<v:shape id="TyndauDraftWatermark" o:spid="_x0000_s1025" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:105pt;rotation:315;z-index:-251657216;'
        "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d8d8d8" stroked="f">'
        '<v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;{FONT}&quot;;font-size:1pt" string="{escape(text, {chr(34): "&quot;"})}"/>'
        "</v:shape></w:pict></w:r>"
    )
