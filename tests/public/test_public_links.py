"""The Slack meeting notice links to the meeting's public page once BOARDCLERK_PUBLIC_URL is
set, under the site's path; without it, the notice has no link."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from agenda.pack.publication import PublishedNotice
from bot.blocks.publish import notice_blocks


def _notice() -> PublishedNotice:
    return PublishedNotice(
        meeting_ref="hwb:2027-03-04",
        body_name="Health and Wellbeing Board",
        channel=None,
        member_slack_ids=(),
        pack_path=Path("pack.pdf"),
        pack_sha256="0" * 64,
        pack_file_name="hwb-2027-03-04-agenda-pack.pdf",
        starts_at=dt.datetime(2027, 3, 4, 14, tzinfo=dt.UTC),
        timezone="Europe/London",
        venue="City Hall",
        publication_date=dt.date(2027, 2, 24),
        late=False,
        republished=False,
    )


def test_the_meeting_notice_links_to_the_public_meeting_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOARDCLERK_PUBLIC_URL", "https://meetings.example.gov.uk/")
    monkeypatch.setenv("BOARDCLERK_SITE_PATH", "/committees/")
    text = json.dumps(notice_blocks(_notice()))
    assert "https://meetings.example.gov.uk/committees/hwb/2027-03-04/" in text


def test_without_a_public_url_the_notice_has_no_link(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOARDCLERK_PUBLIC_URL", raising=False)
    assert "http" not in json.dumps(notice_blocks(_notice()))
