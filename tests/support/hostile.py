"""Hostile papers, built at test time: Word files that make their reader fetch a local file or
a URL, run DDE or carry macros, and PDFs with JavaScript, launch actions, embedded files and
inflation bombs. Each one names its canaries (a secret file's text or colour, a loopback port)
so a test can prove nothing was read or fetched.
"""

from __future__ import annotations

import io
import socket
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String
from PIL import Image

SECRET_TEXT = "ZEBRA-CANARY-7731 server secret"
SECRET_RGB = (255, 0, 255)  # a magenta no paper or pack page uses
VISIBLE_TEXT = "This report asks the board to note the plan."

_REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_REL_OLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"
_REL_TEMPLATE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
)
_REL_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@dataclass
class Secrets:
    """Files on the 'server' that no paper may read."""

    folder: Path
    text: Path
    picture: Path

    @classmethod
    def create(cls, folder: Path) -> Secrets:
        folder.mkdir(parents=True, exist_ok=True)
        text = folder / "secret.txt"
        text.write_text(SECRET_TEXT + "\n")
        picture = folder / "secret.png"
        Image.new("RGB", (240, 240), SECRET_RGB).save(picture)
        return cls(folder, text, picture)


@dataclass
class Listener:
    """A TCP socket on loopback that records every connection attempt (and what was sent)."""

    port: int
    connections: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def listening() -> Iterator[Listener]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.05)
    listener = Listener(server.getsockname()[1])
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(1)
                try:
                    listener.connections.append(conn.recv(65536))
                    conn.sendall(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    listener.connections.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        stop.set()
        thread.join(2)
        server.close()


# ---------------------------------------------------------------------------------------------
# Word


def _base_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Report to the Board", 1)
    document.add_paragraph(VISIBLE_TEXT)
    document.add_paragraph("MARKER-PARAGRAPH")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _edit(
    data: bytes,
    *,
    body: Callable[[str], str] | None = None,
    rels: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    settings: Callable[[str], str] | None = None,
    settings_rels: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    extra: dict[str, bytes] | None = None,
    content_types: Callable[[str], str] | None = None,
) -> bytes:
    """Rewrite parts of a .docx: the paragraph MARKER-PARAGRAPH, relationships, settings."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            text = source.read(info)
            if info.filename == "word/document.xml" and body:
                text = body(text.decode()).encode()
            elif info.filename == "word/_rels/document.xml.rels" and rels:
                text = _add_rels(text.decode(), rels).encode()
            elif info.filename == "word/settings.xml" and settings:
                text = settings(text.decode()).encode()
            elif info.filename == "[Content_Types].xml" and content_types:
                text = content_types(text.decode()).encode()
            target.writestr(info.filename, text)
        if settings_rels:
            target.writestr(
                "word/_rels/settings.xml.rels",
                _add_rels(
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    "</Relationships>",
                    settings_rels,
                ),
            )
        for name, blob in (extra or {}).items():
            target.writestr(name, blob)
    return out.getvalue()


def _add_rels(xml: str, rels: list[tuple[str, str, str]]) -> str:
    added = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}" TargetMode="External"/>'
        for rid, kind, target in rels
    )
    return xml.replace("</Relationships>", added + "</Relationships>")


def _replace_marker(xml_fragment: str) -> Callable[[str], str]:
    def body(xml: str) -> str:
        start = xml.rfind("<w:p", 0, xml.index("MARKER-PARAGRAPH"))
        end = xml.index("</w:p>", xml.index("MARKER-PARAGRAPH")) + len("</w:p>")
        return xml[:start] + xml_fragment + xml[end:]

    return body


def _linked_picture_xml(rid: str) -> str:
    return (
        "<w:p><w:r><w:drawing>"
        '<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        '<wp:extent cx="2286000" cy="2286000"/><wp:docPr id="7" name="Picture 7"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:nvPicPr><pic:cNvPr id="7" name="secret.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        '<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        f' r:link="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2286000" cy="2286000"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def linked_local_picture(secrets: Secrets) -> bytes:
    """A picture linked (not embedded) to the server's own secret.png."""
    return _edit(
        _base_docx(),
        body=_replace_marker(_linked_picture_xml("rIdEvil1")),
        rels=[("rIdEvil1", _REL_IMAGE, secrets.picture.as_uri())],
    )


def linked_url_picture(listener: Listener) -> bytes:
    """A picture linked to an address inside the council's network."""
    return _edit(
        _base_docx(),
        body=_replace_marker(_linked_picture_xml("rIdEvil1")),
        rels=[("rIdEvil1", _REL_IMAGE, f"{listener.url}/x.png")],
    )


def _complex_field(instr: str, result: str) -> str:
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{result}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def include_text_field(secrets: Secrets) -> bytes:
    """INCLUDETEXT of the server's secret.txt, both as a simple and as a complex field."""
    path = str(secrets.text).replace("\\", "/")
    simple = (
        f'<w:p><w:fldSimple w:instr=" INCLUDETEXT &quot;{path}&quot; ">'
        "<w:r><w:t>Included text (simple).</w:t></w:r></w:fldSimple></w:p>"
    )
    return _edit(
        _base_docx(),
        body=_replace_marker(
            simple + _complex_field(f'INCLUDETEXT "{path}"', "Included text (complex).")
        ),
    )


def include_picture_field(secrets: Secrets, listener: Listener) -> bytes:
    """INCLUDEPICTURE of the secret picture and of a URL on loopback."""
    return _edit(
        _base_docx(),
        body=_replace_marker(
            _complex_field(f'INCLUDEPICTURE "{secrets.picture}" \\d', "Picture here.")
            + _complex_field(f'INCLUDEPICTURE "{listener.url}/y.png" \\d', "Web picture.")
        ),
    )


def dde_field() -> bytes:
    """The classic DDEAUTO attack, plus a plain DDE field."""
    return _edit(
        _base_docx(),
        body=_replace_marker(
            _complex_field(
                'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"',
                "Figures from the workbook.",
            )
            + (
                '<w:p><w:fldSimple w:instr=" DDE Excel &quot;C:\\\\book.xls&quot; R1C1 ">'
                "<w:r><w:t>Figures, simple.</w:t></w:r></w:fldSimple></w:p>"
            )
        ),
    )


def linked_ole_object(secrets: Secrets) -> bytes:
    """An OLE object linked to a file on the server."""
    ole = (
        '<w:p><w:r><w:object xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<v:shape id="_x0000_i1025" style="width:200pt;height:100pt">'
        f'<v:imagedata o:href="{secrets.picture.as_uri()}"/></v:shape>'
        '<o:OLEObject Type="Link" ProgID="Word.Document.12" ShapeID="_x0000_i1025" '
        'r:id="rIdEvil2" UpdateMode="Always"><o:LinkType>EnhancedMetaFile</o:LinkType>'
        "</o:OLEObject></w:object></w:r></w:p>"
    )
    return _edit(
        _base_docx(),
        body=_replace_marker(ole),
        rels=[("rIdEvil2", _REL_OLE, secrets.text.as_uri())],
    )


def external_template(listener: Listener) -> bytes:
    """An attached template fetched from a URL (the 'template injection' trick)."""
    return _edit(
        _base_docx(),
        settings=lambda xml: (
            xml.replace("<w:zoom", '<w:attachedTemplate r:id="rIdTpl1"/><w:zoom', 1)
            if "xmlns:r=" in xml
            else xml.replace(
                _W_NS,
                _W_NS
                + ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
                1,
            ).replace("<w:zoom", '<w:attachedTemplate r:id="rIdTpl1"/><w:zoom', 1)
        ),
        settings_rels=[("rIdTpl1", _REL_TEMPLATE, f"{listener.url}/template.dotm")],
    )


def unsafe_hyperlink(secrets: Secrets) -> bytes:
    """A hyperlink to a local file next to an ordinary web link."""
    r_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    links = (
        f'<w:p><w:hyperlink {r_ns} r:id="rIdLinkFile"><w:r><w:t>the file</w:t></w:r>'
        f'</w:hyperlink><w:r><w:t xml:space="preserve"> and </w:t></w:r><w:hyperlink {r_ns} '
        'r:id="rIdLinkWeb"><w:r><w:t>the website</w:t></w:r></w:hyperlink></w:p>'
    )
    return _edit(
        _base_docx(),
        body=_replace_marker(links),
        rels=[
            ("rIdLinkFile", _REL_HYPERLINK, secrets.text.as_uri()),
            ("rIdLinkWeb", _REL_HYPERLINK, "https://www.example.org/plan"),
        ],
    )


def macro_enabled() -> bytes:
    """A .docm: macro-enabled content type and a VBA project."""
    return _edit(
        _base_docx(),
        content_types=lambda xml: xml.replace(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            "application/vnd.ms-word.document.macroEnabled.main+xml",
        ),
        extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512},
    )


# ---------------------------------------------------------------------------------------------
# PDF


def _base_pdf(pages: int = 1) -> Pdf:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for n in range(pages):
        c.drawString(72, 720, f"{VISIBLE_TEXT} Page {n + 1}.")
        c.showPage()
    c.save()
    return Pdf.open(io.BytesIO(buf.getvalue()))


def _save(pdf: Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def _link(pdf: Pdf, action: Dictionary) -> Dictionary:
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([72, 600, 300, 620]),
            Border=Array([0, 0, 0]),
            A=action,
        )
    )


def pdf_javascript() -> bytes:
    """JavaScript on opening the file and on opening the page, and in the names tree."""
    pdf = _base_pdf(2)
    js = Dictionary(S=Name.JavaScript, JS=String("app.alert('pwned')"))
    pdf.Root.OpenAction = pdf.make_indirect(js)
    pdf.pages[0].obj.AA = Dictionary(O=Dictionary(S=Name.JavaScript, JS=String("this.print()")))
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("init"), pdf.make_indirect(js)]))
    )
    # An internal link to page 2 that must survive.
    pdf.pages[0].obj.Annots = Array(
        [_link(pdf, Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit])))]
    )
    return _save(pdf)


def pdf_launch_and_links(listener: Listener) -> bytes:
    """A link that launches a program, one that submits a form, one to an outside address."""
    pdf = _base_pdf()
    pdf.pages[0].obj.Annots = Array(
        [
            _link(pdf, Dictionary(S=Name.Launch, F=String("/bin/sh"))),
            _link(pdf, Dictionary(S=Name.SubmitForm, F=String(f"{listener.url}/submit"))),
            _link(pdf, Dictionary(S=Name.URI, URI=String(f"{listener.url}/track"))),
            _link(pdf, Dictionary(S=Name.GoToR, F=String("/etc/passwd"), D=Array([0, Name.Fit]))),
        ]
    )
    return _save(pdf)


def pdf_embedded_file() -> bytes:
    """An attached executable, both in the names tree and as a file-attachment annotation."""
    pdf = _base_pdf()
    payload = pdf.make_stream(b"MZ" + SECRET_TEXT.encode() * 10)
    payload.Type = Name.EmbeddedFile
    spec = pdf.make_indirect(
        Dictionary(Type=Name.Filespec, F=String("invoice.exe"), EF=Dictionary(F=payload))
    )
    pdf.Root.Names = Dictionary(
        EmbeddedFiles=Dictionary(Names=Array([String("invoice.exe"), spec]))
    )
    pdf.pages[0].obj.Annots = Array(
        [
            pdf.make_indirect(
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.FileAttachment,
                    Rect=Array([72, 500, 90, 518]),
                    FS=spec,
                )
            )
        ]
    )
    return _save(pdf)


def pdf_inflation_bomb(megabytes: int = 400) -> bytes:
    """A stream of zeros that is ~400 KB on disk and inflates to ``megabytes`` MB."""
    pdf = _base_pdf()
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1024 * 1024)
    raw = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    bomb = pikepdf.Stream(pdf, raw)
    bomb.Filter = Name.FlateDecode
    pdf.Root.Bomb = pdf.make_indirect(bomb)  # reachable, so qpdf keeps it
    return _save(pdf)


def secret_pixels_in(pdf_bytes: bytes) -> int:
    """How many images in the PDF are mostly the secret's colour."""
    found = 0
    with Pdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            for raw in page.get_images().values():
                try:
                    image = pikepdf.PdfImage(raw).as_pil_image().convert("RGB")
                except Exception:  # an image kind PIL cannot decode is not our canary
                    continue
                colours = image.resize((16, 16)).getcolors(256) or []
                magenta = sum(n for n, rgb in colours if _near(rgb, SECRET_RGB))
                found += magenta > 128
    return found


def _near(rgb: tuple[int, int, int], target: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 24 for a, b in zip(rgb, target, strict=True))
