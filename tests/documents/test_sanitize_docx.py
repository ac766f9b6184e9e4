"""Neutralising Word papers: the variants an attacker would try next (spellings the spec
does not use, split field codes, smuggled ODF content), and files that need nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx

from agenda.documents.sanitize_docx import neutralise_docx
from tests.support import hostile
from tests.support.hostile import Secrets


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_an_ordinary_paper_is_left_byte_for_byte_alone() -> None:
    document = docx.Document()
    document.add_paragraph("Nothing to see.")
    out = io.BytesIO()
    document.save(out)
    result = neutralise_docx(out.getvalue())
    assert result.data == out.getvalue() and result.removed == () and result.notes == ()


def test_neutralising_twice_changes_nothing_more(tmp_path: Path) -> None:
    secrets = Secrets.create(tmp_path)
    once = neutralise_docx(hostile.linked_ole_object(secrets))
    twice = neutralise_docx(once.data)
    assert once.removed and twice.removed == () and twice.data == once.data


def test_a_lowercase_target_mode_or_a_schemed_internal_target_is_still_external(
    tmp_path: Path,
) -> None:
    secrets = Secrets.create(tmp_path)
    data = hostile.linked_local_picture(secrets)
    members = _members(data)
    rels = members["word/_rels/document.xml.rels"].replace(
        b'TargetMode="External"', b'TargetMode="external"'
    )
    for variant in (rels, rels.replace(b' TargetMode="external"', b"")):
        members["word/_rels/document.xml.rels"] = variant
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for name, body in members.items():
                z.writestr(name, body)
        clean = _members(neutralise_docx(out.getvalue()).data)
        assert b"file:" not in clean["word/_rels/document.xml.rels"]
        assert b"r:link" not in clean["word/document.xml"]


def test_an_include_field_split_across_runs_is_still_found() -> None:
    split = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        "<w:r><w:instrText> INCLUDE</w:instrText></w:r>"
        '<w:r><w:instrText>TEXT "/etc/passwd" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>last text</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    data = hostile._edit(hostile._base_docx(), body=hostile._replace_marker(split))
    result = neutralise_docx(data)
    body = _members(result.data)["word/document.xml"]
    assert b"INCLUDE" not in body and b"/etc/passwd" not in body and b"last text" in body
    assert result.removed == (("include-field", 1),)


def test_odf_content_smuggled_into_the_zip_is_dropped() -> None:
    data = hostile._edit(
        hostile._base_docx(),
        extra={
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b'<office:document-content xlink:href="file:///etc/passwd"/>',
        },
    )
    members = _members(neutralise_docx(data).data)
    assert "content.xml" not in members and "mimetype" not in members
    assert "word/document.xml" in members
