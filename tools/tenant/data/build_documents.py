# mypy: ignore-errors
"""Build the PDF and DOCX documents of the local tenant from their Markdown sources.

Build-time tool, not imported by Ariane. It needs `fpdf2` and `python-docx` (and `pypdf` for `--check`):

    .venv/bin/pip install fpdf2 python-docx pypdf
    .venv/bin/python tools/tenant/data/build_documents.py [--check]

Each `sources/*.md` file starts with a small front matter (`output`, `title`, `author`, `date`, and for PDFs
`subtitle`, `header`, `break`) followed by a restricted Markdown: `#` document title, `##` level-1 heading,
`###` level-2 heading, paragraphs, `- ` bullets and `|` tables. PDFs embed a subset of DejaVu Sans;
DOCX files use the built-in Title, Heading 1 and Heading 2 styles so that readers can cite headings.
Outputs are written to `documents/`, with fixed dates so that a rebuild gives the same content.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

try:
    from docx import Document as new_docx
    from docx.shared import Pt
    from fpdf import FPDF
    from fpdf.fonts import FontFace
    from pypdf import PdfReader
except ImportError as error:  # build-time dependencies, not part of Ariane's
    raise SystemExit(
        "install the build tools first: .venv/bin/pip install fpdf2 python-docx pypdf"
    ) from error

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
OUTPUT = HERE / "documents"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FIXED_DATE = dt.datetime(2026, 11, 1, 8, 0, 0, tzinfo=dt.UTC)  # when a source gives no `date`


@dataclass
class Block:
    """One block of a source: a heading, a paragraph, a bullet list or a table."""

    kind: str  # "title" | "h1" | "h2" | "p" | "bullets" | "table"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Source:
    """A parsed Markdown source with its front matter."""

    meta: dict[str, str]
    blocks: list[Block]


def document_date(meta: dict[str, str]) -> dt.datetime:
    """The date stamped in the file's metadata: the front matter's `date`, else a fixed one."""
    return dt.datetime.fromisoformat(meta["date"]) if "date" in meta else FIXED_DATE


HEADINGS = {"# ": "title", "## ": "h1", "### ": "h2"}


def _front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    if not lines or lines[0] != "---":
        return {}, lines
    end = lines.index("---", 1)
    meta = {}
    for line in lines[1:end]:
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    return meta, lines[end + 1 :]


def _append_row(blocks: list[Block], kind: str, row: list[str]) -> None:
    if not blocks or blocks[-1].kind != kind:
        blocks.append(Block(kind))
    blocks[-1].rows.append(row)


def parse(path: Path) -> Source:
    """Parse one Markdown source into its front matter and blocks."""
    meta, lines = _front_matter(path.read_text(encoding="utf-8").splitlines())
    blocks: list[Block] = []
    paragraph: list[str] = []
    for raw in [*lines, ""]:
        line = raw.strip()
        is_text = bool(line) and not line.startswith(("#", "- ", "|"))
        if paragraph and not is_text:
            blocks.append(Block("p", " ".join(paragraph)))
            paragraph.clear()
        heading = next((kind for prefix, kind in HEADINGS.items() if line.startswith(prefix)), None)
        if heading:
            blocks.append(Block(heading, line.split(" ", 1)[1].strip()))
        elif line.startswith("- "):
            _append_row(blocks, "bullets", [line[2:].strip()])
        elif line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if not all(cell and set(cell) <= {"-", ":"} for cell in cells):  # skip the separator row
                _append_row(blocks, "table", cells)
        elif is_text:
            paragraph.append(line)
    return Source(meta, blocks)


def _font_dir() -> Path:
    for folder in FONT_DIRS:
        if (folder / "DejaVuSans.ttf").exists():
            return folder
    raise SystemExit("DejaVu fonts not found: apt-get install -y fonts-dejavu-core")


class Document(FPDF):
    """A4 document with a running header (from page 2) and a page-number footer."""

    def __init__(self, meta: dict[str, str]) -> None:
        super().__init__(format="A4")
        self.meta = meta
        self.seen_h1 = False
        fonts = _font_dir()
        self.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self.set_title(meta["title"])
        self.set_author(meta.get("author", ""))
        self.set_creator("Ariane — tools/tenant/data/build_documents.py")
        self.set_creation_date(document_date(meta))
        self.set_margins(22, 20, 22)
        self.set_auto_page_break(True, margin=20)

    def header(self) -> None:
        """Running header, from the second page on."""
        if self.page_no() == 1:
            return
        self.set_font("DejaVu", "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 6, self.meta.get("header", self.meta["title"]), align="L")
        self.ln(10)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        """Page number footer."""
        self.set_y(-14)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 6, f"Page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    def text_block(
        self, text: str, size: float, height: float, bold: bool = False, indent: float = 0
    ) -> None:
        """Write left-aligned wrapped text (justified text extracts with doubled spaces)."""
        self.set_font("DejaVu", "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, height, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def render_title(self, block: Block) -> None:
        """Document title and subtitle."""
        self.text_block(block.text, 17, 8.5, bold=True)
        if self.meta.get("subtitle"):
            self.ln(1)
            self.text_block(self.meta["subtitle"], 11.5, 6.5)
        self.ln(5)

    def render_h1(self, block: Block) -> None:
        """Level-1 heading; starts a new page when the front matter says `break: h1`."""
        if self.meta.get("break") == "h1" and self.seen_h1:
            self.add_page()
        else:
            self.ln(3)
        self.seen_h1 = True
        self.text_block(block.text, 13.5, 7, bold=True)
        self.ln(2.5)

    def render_h2(self, block: Block) -> None:
        """Level-2 heading."""
        self.ln(1.5)
        self.text_block(block.text, 11, 6, bold=True)
        self.ln(1)

    def render_p(self, block: Block) -> None:
        """A paragraph."""
        self.text_block(block.text, 10, 5.2)
        self.ln(2.2)

    def render_bullets(self, block: Block) -> None:
        """A bullet list."""
        for (item,) in block.rows:
            self.text_block(f"• {item}", 10, 5.2, indent=4)
            self.ln(0.8)
        self.ln(1.5)

    def render_table(self, block: Block) -> None:
        """A table whose first row is the heading row."""
        self.set_font("DejaVu", "", 8.5)
        columns = list(zip(*block.rows, strict=True))
        weights = tuple(max(min(max(len(cell) for cell in column), 60), 8) + 6 for column in columns)
        heading = FontFace(emphasis="BOLD", fill_color=(225, 230, 240))
        with self.table(
            col_widths=weights, text_align="LEFT", line_height=4.6, padding=1.2, headings_style=heading
        ) as table:
            for row in block.rows:
                table_row = table.row()
                for cell in row:
                    table_row.cell(cell)
        self.ln(3)


def build_pdf(source: Source, target: Path) -> None:
    """Render a source as a PDF with an embedded (subset) Unicode font."""
    pdf = Document(source.meta)
    pdf.add_page()
    for block in source.blocks:
        getattr(pdf, f"render_{block.kind}")(block)
    pdf.output(str(target))


def build_docx(source: Source, target: Path) -> None:
    """Render a source as a DOCX with real Title / Heading 1 / Heading 2 styles."""
    meta = source.meta
    document = new_docx()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    properties = document.core_properties
    properties.title = meta["title"]
    properties.author = meta.get("author", "")
    properties.last_modified_by = meta.get("author", "")
    properties.language = "fr-FR"
    properties.created = document_date(meta).astimezone(dt.UTC).replace(tzinfo=None)
    properties.modified = properties.created
    properties.revision = 1

    levels = {"title": 0, "h1": 1, "h2": 2}
    for block in source.blocks:
        if block.kind in levels:
            document.add_heading(block.text, level=levels[block.kind])
        elif block.kind == "p":
            document.add_paragraph(block.text)
        elif block.kind == "bullets":
            for (item,) in block.rows:
                document.add_paragraph(item, style="List Bullet")
        elif block.kind == "table":
            _docx_table(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    _write_normalised_zip(buffer.getvalue(), target, document_date(meta))


def _docx_table(document: object, block: Block) -> None:
    table = document.add_table(rows=0, cols=len(block.rows[0]))
    table.style = "Table Grid"
    for index, row in enumerate(block.rows):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
            if index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _write_normalised_zip(data: bytes, target: Path, when: dt.datetime) -> None:
    """Rewrite a zip with fixed member timestamps so that rebuilding gives identical bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, source.read(info.filename))
    target.write_bytes(out.getvalue())


def check(target: Path) -> str:
    """Return a one-line summary of an output (pages or headings, words), failing on empty text."""
    if target.suffix == ".pdf":
        reader = PdfReader(str(target))
        texts = [page.extract_text() or "" for page in reader.pages]
        empty = [number for number, text in enumerate(texts, 1) if len(text.split()) < 20]
        if empty:
            raise SystemExit(f"{target.name}: pages without text: {empty}")
        words = sum(len(text.split()) for text in texts)
        return f"{target.name}: {len(texts)} pages, {words} words, {target.stat().st_size} bytes"
    document = new_docx(str(target))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    words = sum(len(p.text.split()) for p in document.paragraphs)
    words += sum(len(c.text.split()) for t in document.tables for r in t.rows for c in r.cells)
    return f"{target.name}: {len(headings)} headings, {words} words, {target.stat().st_size} bytes"


def main(argv: list[str] | None = None) -> int:
    """Build every document from `sources/`, optionally checking the outputs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="read the outputs back and summarise them")
    args = parser.parse_args(argv)
    OUTPUT.mkdir(exist_ok=True)
    for path in sorted(SOURCES.glob("*.md")):
        source = parse(path)
        target = OUTPUT / source.meta["output"]
        if target.suffix == ".pdf":
            build_pdf(source, target)
        elif target.suffix == ".docx":
            build_docx(source, target)
        else:
            raise SystemExit(f"{path.name}: unknown output type {target.suffix}")
        print(check(target) if args.check else target.relative_to(HERE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
