"""What every listener needs: the database, the file store, the clock and the settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from agenda.clock import Clock
from agenda.db import transaction
from agenda.filestore import FileStore
from bot.settings import Settings


@dataclass(frozen=True)
class Deps:
    settings: Settings
    engine: Engine
    store: FileStore
    clock: Clock

    def now(self) -> dt.datetime:
        return self.clock.now()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction per unit of work: Bolt runs listeners on several threads (#294)."""
        with transaction(self.engine) as session:
            yield session
