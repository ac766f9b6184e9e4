"""boardclerk's domain core: models, services, rules and document builders.

Nothing in this package imports Slack. Services take plain values, return plain values and
raise :class:`agenda.errors.BoardclerkError` subclasses whose messages are fit to show a user.
"""

__version__ = "0.1.0"
