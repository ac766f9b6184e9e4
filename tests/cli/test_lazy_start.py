"""``boardclerk --help`` answers at once: starting the command line loads neither the database
layer, the document code nor Slack; each command imports what it uses when it runs."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlalchemy", "slack_bolt", "slack_sdk", "docx", "pypdf", "holidays", "alembic")


def test_help_starts_without_loading_the_database_documents_or_slack() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from bot.cli import main\n"
        "result = CliRunner().invoke(main, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]", f"loaded at start: {out.strip()}"
