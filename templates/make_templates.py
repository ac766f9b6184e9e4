"""Write the Word templates the house styles ship with: ``styles/<name>/frontsheet.docx``.

Run from the repository root:  python templates/make_templates.py [STYLE ...]

Each template is an A4 document with the style's font and margins, the named "BC ..."
paragraph styles the frontsheet builder writes with, and a header holding the placeholder
"{organisation}" (replaced by the organisation's name when the agenda is built). To rebrand,
open the file in Word: put the logo in the header in place of the placeholder, change fonts,
colours and margins, restyle the "BC ..." styles, save. Re-running this script overwrites the
files, so keep a copy of a rebranded template elsewhere or stop regenerating that style.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agenda.documents.frontsheet import LOGO_TOKEN, add_paragraph_styles  # noqa: E402

STYLES_DIR = Path(__file__).resolve().parent / "styles"


@dataclass(frozen=True)
class Look:
    font: str
    size: float
    margin_mm: float


# Arial is what both councils print in (LibreOffice substitutes the metric-compatible
# Liberation Sans); the company board uses Calibri (Carlito).
LOOKS = {
    "council-appendix": Look("Arial", 11, 20),
    "council-agenda-item": Look("Arial", 11, 25),
    "company-board": Look("Calibri", 11, 22),
}
DEFAULT_LOOK = Look("Arial", 11, 20)


def make_template(look: Look) -> Document:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = look.font
    normal.font.size = Pt(look.size)
    add_paragraph_styles(doc, font=look.font, only_missing=False)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(look.margin_mm))
    section.header_distance = section.footer_distance = Mm(10)
    header = section.header
    header.is_linked_to_previous = False
    logo = header.paragraphs[0]
    logo.style = doc.styles["BC Logo"]
    logo.add_run(LOGO_TOKEN)
    # One sample paragraph per style, so a clerk sees (and can restyle) each in Word. The
    # builder removes the body before writing the agenda.
    for name in (
        "BC Title",
        "BC Details",
        "BC Heading",
        "BC Group",
        "BC Member",
        "BC Text",
        "BC Session",
        "BC Item Heading",
        "BC Item Reference",
        "BC Item Text",
    ):
        doc.add_paragraph(f"{name} (sample text)", style=name)
    return doc


def main(names: list[str]) -> None:
    targets = names or sorted(p.parent.name for p in STYLES_DIR.glob("*/style.yaml"))
    for name in targets:
        path = STYLES_DIR / name / "frontsheet.docx"
        make_template(LOOKS.get(name, DEFAULT_LOOK)).save(str(path))
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
