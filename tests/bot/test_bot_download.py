"""A file Slack hands over one byte at a time cannot hold a download thread for ever
(issue 13: two such downloads stopped other users' commands for over a minute)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot import slack
from bot.slack import DownloadError, download_private_file


@pytest.fixture
def dripping() -> Iterator[str]:
    class Drip(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass  # the client gave up, as it should

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/files-pri/T-F1/x.docx"
    server.shutdown()
    server.server_close()


def test_a_dripping_download_is_cut_off_at_its_deadline(
    dripping: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slack, "DOWNLOAD_DEADLINE", 1.0)
    started = time.monotonic()
    with pytest.raises(DownloadError) as err:
        download_private_file(dripping, "xoxb-test", limit=10_000, api_url=dripping)
    assert err.value.retryable and time.monotonic() - started < 5
