"""Words and dates: how boardclerk writes a moment, a lead and a pack letter, in one place.

House styles fill date patterns with one vocabulary (:data:`DATE_FIELDS`, documented in
templates/styles/README.md): ``{Weekday} {WEEKDAY} {day} {Month} {MONTH} {year} {hour}
{minute} {ampm} {AMPM}``; upper-case names give upper-case words. Texts the product writes
itself (reminders, the command line, notices) use the fixed phrasings below, so the same moment
reads the same wherever it appears. Pure: plain values in, text out; callers pass local times.
"""

from __future__ import annotations

import datetime as dt

# The placeholders a date or time pattern in a house style may use.
DATE_FIELDS = frozenset(
    {"Weekday", "WEEKDAY", "day", "Month", "MONTH", "year", "hour", "minute", "ampm", "AMPM"}
)


def format_moment(pattern: str, value: dt.date | dt.datetime) -> str:
    """Fill a house style's date/time pattern: "{Weekday} {day} {Month} {year}" gives
    "Thursday 3 April 2014", "{hour}.{minute} {ampm}" gives "2.00 pm"."""
    fields: dict[str, str] = {
        "Weekday": value.strftime("%A"),
        "WEEKDAY": value.strftime("%A").upper(),
        "day": str(value.day),
        "Month": value.strftime("%B"),
        "MONTH": value.strftime("%B").upper(),
        "year": str(value.year),
    }
    if isinstance(value, dt.datetime):
        hour = value.hour % 12 or 12
        fields |= {
            "hour": str(hour),
            "minute": f"{value.minute:02d}",
            "ampm": "am" if value.hour < 12 else "pm",
            "AMPM": "AM" if value.hour < 12 else "PM",
        }
    return pattern.format(**fields)


# --- the product's own phrasings (local times in, text out) --------------------------------


def clock(value: dt.datetime | dt.time) -> str:
    """ "17:00": deadlines and send times in reminders and on the command line."""
    return f"{value:%H:%M}"


def day_month(value: dt.date) -> str:
    """ "Tuesday 16 March" """
    return f"{value:%A} {value.day} {value:%B}"


def long_date(value: dt.date) -> str:
    """ "16 March 2027" """
    return f"{value.day} {value:%B %Y}"


def clock_on_day(value: dt.datetime) -> str:
    """ "17:00 on Tuesday 16 March": a deadline in a sentence."""
    return f"{clock(value)} on {day_month(value.date())}"


def short_date(value: dt.date, *, year: bool = True) -> str:
    """ "Mon 22 Mar 2027" (or "Mon 22 Mar"): a day in a list or a reply."""
    return f"{value:%a} {value.day} {value:%b}" + (f" {value.year}" if year else "")


def short_moment(value: dt.datetime, *, year: bool = True) -> str:
    """ "Tue 16 Mar 2027 17:00" (or "Tue 16 Mar 17:00"): a moment in a list or a reply."""
    return f"{short_date(value.date(), year=year)} {clock(value)}"


def full_date(value: dt.date) -> str:
    """ "Thursday 1 April 2027" """
    return f"{value:%A} {long_date(value)}"


def long_moment(value: dt.datetime) -> str:
    """ "Thursday 1 April 2027 at 14:00": when a meeting starts, in a readiness report."""
    return f"{full_date(value.date())} at {clock(value)}"


def column_moment(value: dt.datetime) -> str:
    """ "Tue 09 Mar 09:30": fixed width, for timelines printed in columns."""
    return f"{value:%a %d %b} {clock(value)}"


def spoken_moment(value: dt.datetime) -> str:
    """ "Thursday 8 April 2027 at 2.00 pm": the start of a meeting in a notice to people."""
    return format_moment("{Weekday} {day} {Month} {year} at {hour}.{minute} {ampm}", value)


def letter_for(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: pack letters (a big meeting can run past Z)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


# --- leads -----------------------------------------------------------------------------------


def lead_forms(lead: str) -> tuple[str, str]:
    """The lead as it opens a sentence and as it sits inside one.

    Roles take the article ("The Director of Public Health" / "the Director of Public Health");
    named people ("David Sharp, Director, NHS England", "Dr Simon Freeman") and organisations
    ("Healthwatch Leicestershire") do not. A role is a lead whose first comma-separated part
    holds a role word (Director, Officer, Chair ...)."""
    lead = " ".join(lead.split())
    if lead.lower().startswith("the "):
        role = lead[4:]
        return f"The {role}", f"the {role}"
    first = lead.split(",", 1)[0].split()
    is_role = any(w.strip("()'").lower() in _ROLE_WORDS for w in first)
    if is_role and not (first and first[0].rstrip(".") in _PERSON_PREFIXES):
        return f"The {lead}", f"the {lead}"
    return lead, lead  # a person or an organisation: "Healthwatch Leicestershire"


_PERSON_PREFIXES = frozenset(
    {
        "Dr",
        "Professor",
        "Prof",
        "Councillor",
        "Cllr",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Sir",
        "Dame",
        "Lord",
        "Lady",
        "Baroness",
    }
)
# Words that make "Managing Director, Leicester City CCG" a role ("The Managing Director, ...")
# where "David Sharp, Director, NHS England" is a named person.
_ROLE_WORDS = frozenset(
    {
        "director",
        "officer",
        "chair",
        "chairman",
        "co-chair",
        "manager",
        "head",
        "chief",
        "executive",
        "secretary",
        "lead",
        "commissioner",
        "mayor",
        "president",
        "treasurer",
        "clerk",
        "leader",
        "member",
        "members",
        "board",
        "group",
        "team",
        "programme",
        "council",
        "consultant",
    }
)
