"""Imports every module that defines tables, so ``Base.metadata`` is complete (for Alembic
and for tests). Each wing that adds tables adds its module here."""

from agenda.board import models  # noqa: F401
from agenda.board.models import Base
from agenda.jobs import tables as job_tables  # noqa: F401
from agenda.minutes import tables as minutes_tables  # noqa: F401
from agenda.pack import tables as pack_tables  # noqa: F401
from agenda.reminders import tables as reminder_tables  # noqa: F401

metadata = Base.metadata
