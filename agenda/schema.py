"""Imports every module that defines tables, so ``Base.metadata`` is complete (for Alembic
and for tests). Each feature that adds tables adds its module here."""

from agenda import models  # noqa: F401
from agenda.models import Base

metadata = Base.metadata
