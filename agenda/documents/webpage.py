"""A Word paper as a web page for the public site: clean, semantic HTML (headings, lists,
tables with their header rows as ``<th>``, images with their alternative text).

mammoth is made for exactly this: it maps Word's styles to meaning and drops the look, where
LibreOffice's HTML export reproduces the look in ``<font>`` tags and absolute sizes. Images
stay inside the page as data URIs, so one file is the whole paper.
"""

from __future__ import annotations

import html
import io

import mammoth  # type: ignore[import-untyped]

# Word's own title and subtitle styles (mammoth's default map knows the headings and lists).
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
"""

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def paper_html(data: bytes, *, title: str, language: str) -> str:
    """The Word paper ``data`` as a complete HTML page in ``language`` titled ``title``."""
    result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP)
    return PAGE.format(
        lang=html.escape(language, quote=True), title=html.escape(title), body=result.value
    )
