"""Every sentence the bot says: help, replies, receipts, confirmations and refusals.

Listeners and Block Kit builders take their wording from here, so the bot's voice can be read
(and changed) in one place. Texts are Slack mrkdwn; names and titles from users are escaped.
"""

from __future__ import annotations

from agenda.pack.publication import PublishedNotice
from agenda.plan.items import ItemView
from agenda.plan.papers import Receipt
from bot.blocks.common import escape, when

HELP = (
    "*boardclerk* runs your board's papers from Slack.\n"
    "• `/boardclerk submit`: submit a paper (Word or PDF) for an item you write\n"
    "• `/boardclerk plan [BODY]`: the forward plan by meeting (clerks can add, move and withdraw items)\n"
    "• `/boardclerk status [MEETING]`: which papers are in for a meeting, e.g. `hwb:2027-04-01`\n"
    "• `/boardclerk pack MEETING [private]` and `/boardclerk minutes MEETING`: clerks build the "
    "agenda pack and the draft minutes; I send them to you by direct message\n"
    "• `/boardclerk reminders [MEETING]`: clerks see which reminders went to whom and when, "
    "and which could not be delivered\n"
    "• Clerks publish the agenda with *Publish to members* (on the pack I send them, or App "
    "Home): I post the notice with the public pack\n"
    "• `/boardclerk apologies MEETING [reason]`: send your apologies; the notice and App Home "
    "also have *Send apologies* and *Declare an interest* buttons\n"
    "You can also send me a Word or PDF file in a direct message, or use the *Submit a paper* "
    "shortcut."
)

# -- refusals and failures (see bot.errors) --------------------------------------------------


def refusal(problem: str) -> str:
    """A request the rules refuse, or that went wrong: the reply's one framing."""
    return f":x: {problem}"


def unexpected(ref: str) -> str:
    """What a person is told about a fault of ours; the clerk quotes ``ref`` to find the log."""
    return f"Something went wrong (ref {ref}). Please try again, or tell the clerk the reference."


# -- the command -----------------------------------------------------------------------------


def unknown_command(sub: str) -> str:
    return f"I don't know `{sub}`.\n\n{HELP}"


NO_UPCOMING_STATUS = "You have no upcoming meetings. Name one: `/boardclerk status hwb:2027-04-01`."
NO_UPCOMING_APOLOGIES = "Name the meeting, e.g. `/boardclerk apologies hwb:2027-04-01 on leave`."
NO_CLERKED_REMINDERS = (
    "Only a body's clerk can see its reminders, and you clerk no upcoming meeting. Name one: "
    "`/boardclerk reminders hwb:2027-04-01`."
)
FORWARD_PLAN = "Forward plan"
REMINDERS = "Reminders"


def name_the_meeting_to_build(what: str) -> str:
    return (
        f"Name the meeting, e.g. `/boardclerk {what} hwb:2027-04-01`. "
        f"Only a body's clerk can build its {what}."
    )


def build_queued(what: str, meeting_ref: str, *, private: bool) -> str:
    label = pack_label(private=private) if what == "pack" else "draft minutes"
    return (
        f"Building the {label} for `{meeting_ref}`. "
        "I will send it to you in a direct message when it is ready."
    )


def pack_label(*, private: bool) -> str:
    return "private (Part B) agenda pack" if private else "agenda pack"


def pack_built(meeting_ref: str, *, private: bool) -> str:
    note = f"The {pack_label(private=private)} for `{meeting_ref}`."
    if private:
        note += " It contains exempt information: do not forward it outside the board."
    return note


def minutes_built(meeting_ref: str, first: object, last: object) -> str:
    return f"The draft minutes for `{meeting_ref}` (minutes {first}–{last})."


def build_failed(what: str, meeting_ref: object) -> str:
    return refusal(
        f"Building the {what} for `{meeting_ref}` failed after several attempts. "
        "The details are in the server log."
    )


def status_text(meeting_ref: str, headline: str) -> str:
    return f"{meeting_ref}: {headline}"


# -- submitting a paper ----------------------------------------------------------------------

NOTHING_TO_SUBMIT = (
    "You are not named as an author on any item of an upcoming meeting, so "
    "there is nothing for you to submit. If you are writing a paper, ask "
    "the clerk to name you on the item."
)
NO_ITEMS_ON_MEETING = "You have no items on this meeting. Choose another meeting."
NO_FILE_ON_MESSAGE = (
    "That message has no file attached. Use this on a message with a Word or PDF file."
)
FILE_GONE = "I can no longer see that file. Please send it to me again."
FILE_NOT_IN_SLACK = "I could not find the file in Slack. Please attach it again."
CHOOSE_ITEM = "Choose the agenda item this paper is for."
ATTACH_PAPER = "Attach the paper: a Word (.docx) or PDF file."
GIVE_TITLE = "Give the paper a title."
SAY_WHY_EXEMPT = (
    "Say why it is exempt, e.g. Paragraph 3 of Part 1 of "
    "Schedule 12A to the Local Government Act 1972."
)


def not_a_paper_file(name: str | None) -> str:
    return f"{name} is not a Word (.docx) or PDF file. Save it as .docx or PDF and attach it again."


def too_big(name: str | None, size: int, limit: int) -> str:
    return (
        f"{name} is {size / 2**20:.1f} MB; papers can be at most {limit / 2**20:.0f} MB. "
        "Compress the images or split the appendices."
    )


def file_offer(name: str) -> str:
    return f"Do you want to submit *{escape(name)}* as a paper?"


def receipt_text(receipt: Receipt, tz: str) -> str:
    state = "on time :white_check_mark:" if receipt.on_time else "*late* :warning:"
    lines = [
        f"Thank you. I have received your paper for *{escape(receipt.item_title)}* "
        f"({escape(receipt.body_name)}, `{receipt.meeting_ref}`).",
        f"• Version {receipt.version}: {escape(receipt.file_name)}",
        f"• Deadline: {when(receipt.due_at, tz)}; received {when(receipt.submitted_at, tz)}, {state}",
    ]
    if receipt.exempt:
        lines.append("• Exempt (Part B): it will appear only in the private pack.")
    elif receipt.exempt_requested:
        lines.append(
            "• You marked it exempt: it is held out of the public pack until the clerk decides."
        )
    if not receipt.on_time:
        lines.append("The clerk has been told it came in after the deadline.")
    lines.extend(f"• {escape(note)}" for note in receipt.removed)
    notes = receipt.accessibility_text()  # what to fix, each with the way to do it in Word
    if notes:
        lines.append(escape(notes))
    return "\n".join(lines)


def late_flag_text(receipt: Receipt, submitted_by: str, tz: str) -> str:
    return (
        f":warning: Late paper for `{receipt.meeting_ref}`: *{escape(receipt.item_title)}* "
        f"version {receipt.version} from <@{submitted_by}> arrived {when(receipt.submitted_at, tz)}; "
        f"it was due {when(receipt.due_at, tz)}."
    )


def rejection_text(
    problem: str, *, file_name: str | None, item_title: str | None, current_version: int | None
) -> str:
    what = f"*{escape(file_name)}*" if file_name else "your file"
    for_item = f" for *{escape(item_title)}*" if item_title else ""
    kept = f" Version {current_version} is still the current paper." if current_version else ""
    return refusal(
        f"I could not accept {what}{for_item}: {escape(problem)}\nNothing was stored.{kept}"
    )


# -- the forward plan ------------------------------------------------------------------------

NO_PLANNED_MEETINGS = "There are no upcoming meetings on the forward plan."
NOTHING_PLANNED = "Nothing planned yet."
PLAN_MORE = "Use `/boardclerk plan BODY` to see one body's plan."
NO_MEETING_TO_ADD_TO = (
    "There is no upcoming meeting of a body you clerk to "
    "add an item to. Add the meeting to the configuration first."
)
GIVE_ITEM_TITLE = "Give the item a title."
EXEMPT_NEEDS_REASON = (
    "An exempt item needs the reason it is exempt, e.g. 'Paragraph 3 of Part 1 of "
    "Schedule 12A to the Local Government Act 1972'."
)
CHOOSE_MEETING_TO_MOVE_TO = "Choose the meeting to move it to."


def no_meeting_to_move_to(title: str) -> str:
    return f"There is no other upcoming meeting to move *{escape(title)}* to."


def move_question(title: str, meeting_ref: str | None) -> str:
    return f"Move *{escape(title)}* from `{meeting_ref}` to:"


def withdraw_question(title: str, meeting_ref: str | None) -> str:
    return (
        f"Withdraw *{escape(title)}* from `{meeting_ref}`? It is kept, marked "
        "withdrawn, with any papers."
    )


def not_added(title: str, problem: str) -> str:
    return refusal(f"I could not add '{title}' to the forward plan: {problem}")


def added(item: ItemView) -> str:
    return f"Added `#{item.id}` *{item.title}* to `{item.meeting_ref}`."


def moved(title: str, from_ref: str | None, to_ref: str | None) -> str:
    return f"Moved *{title}* from `{from_ref}` to `{to_ref}`."


def withdrew(title: str, from_ref: str | None) -> str:
    return f"Withdrew *{title}* from `{from_ref}`."


def named_author_text(item: ItemView, tz: str) -> str:
    return (
        f"You have been named as an author of *{escape(item.title)}* for `{item.meeting_ref}`. "
        f"The paper is due {when(item.due_at, tz)}. Send it with `/boardclerk submit` or by "
        "sending me the file here."
    )


def moved_text(item: ItemView, from_ref: str | None, reason: str | None, tz: str) -> str:
    why = f" Reason: {escape(reason)}." if reason else ""
    return (
        f"*{escape(item.title)}* has moved from `{from_ref or 'no meeting'}` to "
        f"`{item.meeting_ref}`.{why} The paper is now due {when(item.due_at, tz)}."
    )


def withdrawn_text(item: ItemView, reason: str | None) -> str:
    why = f" Reason: {escape(reason)}." if reason else ""
    return (
        f"*{escape(item.title)}* has been withdrawn from `{item.meeting_ref}`.{why} "
        "No paper is needed for it now."
    )


DOWNLOAD_REFUSED = (
    "Slack did not let me download the file (the app may be missing the "
    "files:read permission). Please tell the clerk."
)


def download_failed(err: OSError) -> str:
    return f"I could not download the file from Slack ({err}). Please try again."


DOWNLOAD_NOT_AT_SLACK = (
    "The file's download address is not at Slack, so I did not download it. "
    "Please attach the file again, or tell the clerk."
)
DOWNLOAD_TOO_MANY_REDIRECTS = "Slack redirected the download too many times. Please try again."


def download_status(code: int) -> str:
    return f"Slack answered {code} when I downloaded the file. Please try again."


# -- App Home --------------------------------------------------------------------------------

NOT_AN_AUTHOR = "You are not named as an author on any upcoming item."
AGENDA_PUBLISHED = "agenda published"
AGENDA_NOT_PUBLISHED = "agenda not yet published"
APOLOGIES_SENT = ":wave: you have sent your apologies"


# -- reminders and extensions ----------------------------------------------------------------

CHOOSE_NEW_DEADLINE = "Choose the date you need."
BUTTON_GONE = "That button no longer works; ask the clerk."


def extension_form_intro(title: str, meeting_ref: str, due: str) -> str:
    return (
        f"Ask for more time for *{escape(title)}* (`{meeting_ref}`). It is due by "
        f"{due}. The clerk or the chair decides; I will tell you here."
    )


def extension_asked(title: str, until: str) -> str:
    return (
        f":white_check_mark: I have asked the clerk and the chair for *{escape(title)}* "
        f"to be due by {until}. I will tell you their decision in a "
        "direct message; until then the current deadline stands."
    )


def extension_approved(title: str, until: str, requested_by: str) -> str:
    return (
        f":white_check_mark: You approved the extension for *{escape(title)}*: it is "
        f"now due by {until}, and its reminders follow. <@{requested_by}> will be told."
    )


def extension_declined(title: str, requested_by: str) -> str:
    return (
        f"You declined the extension for *{escape(title)}*; the deadline stands. "
        f"<@{requested_by}> will be told."
    )


def chasing_paused(title: str, cancelled: int) -> str:
    return (
        f":double_vertical_bar: Chasing paused for *{escape(title)}*: no more "
        f"reminders to its authors or escalations about it ({cancelled} "
        "cancelled) until you resume."
    )


def chasing_resumed(title: str) -> str:
    return (
        f":arrow_forward: Chasing resumed for *{escape(title)}*: its authors will be "
        "reminded again while the paper is outstanding."
    )


NO_REMINDERS_PLANNED = "No reminders planned."
NOT_DELIVERED = ":warning: *Not delivered* (contact these people another way):"
ALL_REMINDERS = "All reminders, oldest first (times are when sent, or when due):"


def timeline_more(meeting_ref: str) -> str:
    return f"…and more: the full list is in `boardclerk reminders {meeting_ref}`."


# -- apologies, declarations, approved minutes -----------------------------------------------


def apologies_intro(label: str) -> str:
    return f"Apologies for absence from *{label}*."


def declaration_intro(label: str) -> str:
    return f"Declare an interest in an item on the agenda of *{label}*."


def approved_minutes_intro(label: str) -> str:
    return (
        f"The approved minutes of *{label}*. They go into the papers of the next "
        "meeting as its minutes of the previous meeting."
    )


ATTACH_APPROVED_MINUTES = "Attach the approved minutes as a Word (.docx) or PDF file."


def done(summary: str) -> str:
    return f":white_check_mark: {summary}"


def nothing_on_agenda(meeting_ref: str) -> str:
    return f"There is nothing on the agenda of {meeting_ref} yet."


def minutes_not_filed(name: str, problem: str) -> str:
    return refusal(f"I did not file {name}: {problem}")


# -- publishing the agenda -------------------------------------------------------------------


def publish_offer_text(meeting_ref: str) -> str:
    return (
        f"When the pack for `{meeting_ref}` is right, publish it: I will post the agenda "
        "notice with the public pack to the board's members."
    )


def notice_footer(meeting_ref: str) -> str:
    return (
        f"`{meeting_ref}` · The agenda pack is attached. Can't come? "
        "Send your apologies. An interest in an item? Declare it before the meeting."
    )


def notice_public_page(url: str) -> str:
    return f"The agenda and papers are on the public meeting page: <{url}|{url}>"


def publish_confirm(meeting_ref: str) -> str:
    return (
        f"The latest public agenda pack of `{meeting_ref}` goes to "
        "every member with the meeting notice."
    )


def channel_unreachable(channel: str, error: str | None) -> str:
    return f"the channel <#{channel}> ({error}: is the app invited to it?)"


def member_unreachable(member: str, error: str | None) -> str:
    return f"<@{member}> ({error})"


def published(notice: PublishedNotice, problems: list[str]) -> str:
    where = (
        f"in <#{notice.channel}>"
        if notice.channel
        else f"to {len(notice.member_slack_ids)} members by direct message"
    )
    lines = [
        f":white_check_mark: {'Published again' if notice.republished else 'Published'}: "
        f"{escape(notice.notice_text())} I posted the notice with "
        f"{escape(notice.pack_file_name)} {where}."
    ]
    if problems:
        lines.append(
            refusal(
                "I could not deliver it to "
                + "; ".join(problems)
                + ". Fix that and press *Publish to members* again."
            )
        )
    for warning in (notice.late_warning(), notice.stale_warning()):
        if warning:
            lines.append(f":warning: {escape(warning)}")
    return "\n".join(lines)


CONFIDENTIAL_MINUTES_LABEL = "Confidential (Part B) minutes, if there was exempt business"


def submission_gave_up(file_name: str | None) -> str:
    return (
        f":x: I could not store your paper *{escape(file_name or 'your file')}*: Slack would not "
        "let me download it, after several attempts. Please submit it again; if it keeps "
        "failing, tell the clerk."
    )


BUSY = (
    ":hourglass: I am very busy right now and could not open the form in time. "
    "Please try again in a moment."
)
LOADING = "Loading…"


# -- exempt requests ---------------------------------------------------------------------------


def exempt_requested(receipt: Receipt, author: str) -> str:
    return (
        f":lock: <@{author}> marked their paper for *{escape(receipt.item_title)}* "
        f"(`{receipt.meeting_ref}`, version {receipt.version}) as exempt: "
        f"“{escape(receipt.exempt_reason or '')}”. The item is held out of the public agenda "
        "pack until you decide."
    )


EXEMPT_ACCEPT_LABEL = "Accept: exempt (Part B)"
EXEMPT_REJECT_LABEL = "Reject: publish it"


def exempt_accepted_for_clerk(title: str) -> str:
    return (
        f":white_check_mark: *{escape(title)}* is now exempt (Part B); "
        "it stays out of the public pack."
    )


def exempt_accepted_for_author(title: str) -> str:
    return f"The clerk agreed that your paper for *{escape(title)}* is exempt (Part B)."


def exempt_rejected_for_clerk(title: str) -> str:
    return f"*{escape(title)}* is not exempt; its paper goes into the public pack."


def exempt_rejected_for_author(title: str) -> str:
    return (
        f"The clerk decided that your paper for *{escape(title)}* is not exempt: it will be "
        "published with the agenda. Talk to the clerk if that is wrong."
    )


def paper_limits(limits: str) -> str:
    return f"{limits}; linked pictures and files are removed."
