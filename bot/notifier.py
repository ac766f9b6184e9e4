"""Reminders delivered as Slack direct messages (the :class:`agenda.notify.Notifier` the
reminder worker calls)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agenda.notify import RateLimited, RecipientGone

log = logging.getLogger(__name__)

# Errors meaning the person cannot be reached any more: retrying will not help.
GONE = {"user_not_found", "account_inactive", "cannot_dm_bot", "user_disabled",
        "user_not_visible", "channel_not_found", "is_archived"}
DEFAULT_RETRY_AFTER = 30.0
METADATA_EVENT = "boardclerk_reminder"


class SlackNotifier:
    """Sends each reminder as a DM. It does not implement ``DeliveryLog.was_delivered``: that
    needs the recipient's DM history, which the protocol does not pass, so a reminder whose
    worker died mid-send may (rarely) arrive twice."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def send(self, recipient_slack_id: str, text: str, *, reminder_id: int) -> None:
        try:
            channel = self.client.conversations_open(users=recipient_slack_id)["channel"]["id"]
            # The reminder id rides along as message metadata so a resend can be detected.
            self.client.chat_postMessage(
                channel=channel, text=text,
                metadata={"event_type": METADATA_EVENT, "event_payload": {"id": reminder_id}})
        except SlackApiError as err:
            raise _translate(err) from err


def _translate(err: SlackApiError) -> Exception:
    response = err.response
    if response.status_code == 429:
        retry = response.headers.get("Retry-After") or response.headers.get("retry-after")
        try:
            return RateLimited(float(retry) if retry else DEFAULT_RETRY_AFTER)
        except ValueError:
            return RateLimited(DEFAULT_RETRY_AFTER)
    error = response.get("error") if isinstance(response.data, dict) else None
    if error in GONE:
        return RecipientGone(f"{error}: the person can no longer be reached in Slack")
    return err
