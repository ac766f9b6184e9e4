"""The demo's clerk writes up the minutes: the skeleton's placeholders become what was said and
decided, so the approved minutes the demo files read like real ones (and pass the check that
refuses an unchanged skeleton). Only ``boardclerk demo`` and the tests use this."""

from __future__ import annotations

import io
import re

from docx import Document

from agenda.documents.minutes_doc import NO_PAPER, PLACEHOLDER
from agenda.documents.minutes_style import MinutesStyle

DISCUSSION = (
    "Members welcomed the report and asked how progress would be measured over the coming "
    "year. The presenting officer explained that a summary of the measures would be brought "
    "back to the Board, and that partners had been involved in preparing the proposals.",
    "In discussion, members noted the pressure on services over the winter months and asked "
    "that the Board be kept informed of any changes to the timetable. The officer agreed to "
    "circulate an update to members before the next meeting.",
    "The Chair thanked the officers for the report. Members asked about the involvement of "
    "patients and carers, and were told that the engagement exercise had reached over four "
    "hundred people across the city.",
)
_WORDS = {
    "[time]": "4.20 pm",
    "[time closed]": "4.20 pm",
    "[record the decision]": "the report be noted",
    "[the presenter]": "the presenting officer",
    "[venue]": "City Hall",
    "[summarise the purpose of the report]": "set out the proposals for the coming year",
}


# What the demo's confidential minutes record of the exempt item, and the test looks for in
# every public file the demo writes (it must be in none of them).
EXEMPT_DISCUSSION = (
    "The Board examined the tender evaluation, in which Oakfield Residential Care scored "
    "highest on quality, and questioned the proposed weekly fee of £812 for nursing placements."
)


def write_up(
    data: bytes, style: MinutesStyle, *, seed: int = 0, discussion: str | None = None
) -> bytes:
    """``data`` (a skeleton from agenda/documents/minutes_doc.py) with every placeholder
    replaced by plausible minutes (``discussion`` for every item when given), the draft
    markings removed and the header cleared of its DRAFT line (a confidential part keeps its
    NOT FOR PUBLICATION marking)."""
    doc = Document(io.BytesIO(data))
    said = 0
    for paragraph in list(doc.paragraphs):
        text = paragraph.text
        if text.strip() == " ".join(style.action_placeholder.split()) or (
            " ".join(text.split()) == " ".join(style.action_placeholder.split())
        ):
            parent = paragraph._element.getparent()
            if parent is not None:
                parent.remove(paragraph._element)
            continue
        if PLACEHOLDER in text or "[Record what the Board considered.]" in text:
            lead = text.split("[", 1)[0] if NO_PAPER.split("{", 1)[0] in text else ""
            paragraph.text = lead + (discussion or DISCUSSION[(seed + said) % len(DISCUSSION)])
            said += 1
            continue
        if style.declaration_after and style.declaration_after in text:
            paragraph.text = (
                "The interest was not considered so significant that the member was required "
                "to withdraw during the item."
            )
            continue
        if style.draft_marker in text:
            for run in paragraph.runs:
                run.text = run.text.replace(style.draft_marker, "").rstrip()
        if "[" in paragraph.text:
            paragraph.text = _fill(paragraph.text)
    for section in doc.sections:
        for paragraph in section.header.paragraphs:
            kept = [line for line in paragraph.text.split("\n") if "DRAFT" not in line]
            paragraph.text = "\n".join(kept)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _fill(text: str) -> str:
    for mark, words in _WORDS.items():
        text = text.replace(mark, words)
    # whatever else the style asked the clerk to write: a neutral sentence in its place
    return re.sub(r"\[[^\]]*\]", "the matters reported to the Board", text)
