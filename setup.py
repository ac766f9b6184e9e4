"""The one thing pyproject.toml cannot say: ship ``templates/styles`` inside the wheel.

The house styles stay at the top of the repository (where the project card puts them, for a
clerk to find and rebrand) and are installed as the package ``boardclerk_styles``, so the code
finds them through ``importlib.resources`` from a wheel and from an editable install alike.
Everything else about the build lives in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    # Namespace discovery, so agenda/migrations (plain folders read by Alembic) ship too.
    packages=[
        *find_namespace_packages(include=["agenda*", "bot*"], exclude=["*__pycache__*"]),
        "boardclerk_styles",
    ],
    package_dir={"boardclerk_styles": "templates/styles"},
)
