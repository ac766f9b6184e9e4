"""Built agenda packs: which file (by sha256 in the file store) was built when, by whom, for
which meeting, and exactly which paper versions went into it.

The record of paper versions is what a supplementary pack is computed from (papers that
arrived or changed since the last published pack) and what answers "which version did the
board see?" later.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.board.models import Base


class PackKind(enum.StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"
    SUPPLEMENTARY = "supplementary"


class Pack(Base):
    """One built pack file (a PDF pack or a DOCX working copy)."""

    __tablename__ = "packs"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # PackKind
    private: Mapped[bool] = mapped_column(Boolean, default=False)  # includes exempt papers
    format: Mapped[str] = mapped_column(String(8))  # pdf | docx
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    pages: Mapped[int | None] = mapped_column(Integer)  # PDF packs: every page
    built_at: Mapped[dt.datetime]
    built_by: Mapped[str] = mapped_column(String(64))

    papers: Mapped[list[PackPaper]] = relationship(
        back_populates="pack", order_by="PackPaper.id", cascade="all, delete-orphan"
    )


class PackPaper(Base):
    """A paper version that went into a pack, where, and whether it was withheld (an exempt
    paper replaced by its placeholder in a public pack)."""

    __tablename__ = "pack_papers"
    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id"), index=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("forward_plan_items.id"))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    entry_key: Mapped[str] = mapped_column(String(60))
    stamp: Mapped[str | None] = mapped_column(String(60))
    first_page: Mapped[int | None] = mapped_column(Integer)  # printed numbers, PDF packs only
    last_page: Mapped[int | None] = mapped_column(Integer)
    withheld: Mapped[bool] = mapped_column(Boolean, default=False)

    pack: Mapped[Pack] = relationship(back_populates="papers")


class PaperRendition(Base):
    """A public paper version published in another form for the public site: its own tagged
    PDF (with the organisation's language and the item's title) or a web page (HTML).
    Written when the public pack is built; never for an exempt paper."""

    __tablename__ = "paper_renditions"
    __table_args__ = (UniqueConstraint("paper_id", "format"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id"), index=True)
    format: Mapped[str] = mapped_column(String(8))  # pdf | html
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(35))
    built_at: Mapped[dt.datetime]
