"""Imports every module that defines tables, so ``Base.metadata`` is complete (for Alembic
and for tests). Each feature that adds tables adds its module here."""

from agenda import (
    job_store,  # noqa: F401
    minutes_store,  # noqa: F401
    models,  # noqa: F401
    pack_store,  # noqa: F401
    reminder_store,  # noqa: F401
)
from agenda.models import Base

metadata = Base.metadata
