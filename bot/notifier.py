"""Reminders delivered as Slack direct messages (the :class:`agenda.outbox.notify.Notifier` the
reminder worker calls). It is handed a finished message and only renders and posts it: it
opens no database session."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agenda.outbox.notify import RateLimited, RecipientGone, ReminderMessage
from bot.blocks.reminders import reminder_blocks

log = logging.getLogger(__name__)

# Errors meaning the person cannot be reached any more: retrying will not help.
GONE = {
    "user_not_found",
    "account_inactive",
    "cannot_dm_bot",
    "user_disabled",
    "user_not_visible",
    "channel_not_found",
    "is_archived",
}
DEFAULT_RETRY_AFTER = 30.0
METADATA_EVENT = "boardclerk_reminder"
# How far back a resend looks in the DM (a person gets a handful of reminders a week).
HISTORY_LIMIT = 50


class SlackNotifier:
    """Sends each reminder as a DM, with the buttons for what its recipient may do about it
    (ask for an extension, approve or decline one, pause chasing). It is a
    :class:`agenda.outbox.notify.DeliveryLog`: before a reminder whose worker died mid-send is
    sent again, the recipient's DM history is searched for its id."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def send(self, message: ReminderMessage) -> None:
        blocks = reminder_blocks(message)
        try:
            channel = self.client.conversations_open(users=message.recipient)["channel"]["id"]
            # The reminder id rides along as message metadata so a resend can be detected.
            self.client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=blocks,
                metadata={
                    "event_type": METADATA_EVENT,
                    "event_payload": {"reminder_id": message.reminder_id},
                },
            )
        except SlackApiError as err:
            raise _translate(err) from err

    def was_delivered(self, reminder_id: int, recipient_slack_id: str) -> bool:
        """True if the last :data:`HISTORY_LIMIT` messages of the person's DM include this
        reminder. If Slack will not say, False: better a rare duplicate than a lost reminder."""
        try:
            channel = self.client.conversations_open(users=recipient_slack_id)["channel"]["id"]
            history = self.client.conversations_history(
                channel=channel, include_all_metadata=True, limit=HISTORY_LIMIT
            )
        except SlackApiError as err:
            log.warning(
                "could not check whether reminder %s was delivered: %s",
                reminder_id,
                err.response.get("error") if isinstance(err.response.data, dict) else err,
            )
            return False
        return any(_carries(message, reminder_id) for message in history.get("messages") or [])


def _carries(message: dict[str, Any], reminder_id: int) -> bool:
    meta = message.get("metadata") or {}
    if meta.get("event_type") != METADATA_EVENT:
        return False
    payload = meta.get("event_payload") or {}
    found = payload.get("reminder_id", payload.get("id"))  # "id": sent by earlier versions
    try:
        return found is not None and int(found) == reminder_id
    except (TypeError, ValueError):
        return False


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
