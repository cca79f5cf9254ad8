"""Plain text of PDF and DOCX files, cut into sections that answers can cite (page or heading)."""

from tools.doctext.extract import (
    DocumentFormatError,
    Section,
    extract_sections,
    pdf_page_count,
    render_with_markers,
)

__all__ = ["DocumentFormatError", "Section", "extract_sections", "pdf_page_count", "render_with_markers"]
