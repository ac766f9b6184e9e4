"""``boardclerk demo``: the whole product, offline, on a sample board.

It writes a configuration for a board whose next meeting is about five weeks away, imports it
into a fresh SQLite database, submits generated sample papers as their authors would (one late,
one still outstanding), prints the meeting's readiness, and then runs each later stage
(reminders, the agenda pack, the minutes skeleton) into ``--out``. Time is simulated with a
clock the demo moves, so the run is the same every day.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from agenda.board.config import load_config
from agenda.board.lookup import get_meeting
from agenda.board.permissions import Actor
from agenda.clock import FixedClock, utcnow
from agenda.db.engine import make_engine, transaction
from agenda.db.migrate import upgrade
from agenda.documents.words import short_moment
from agenda.filestore import LocalFileStore
from agenda.plan.importer import import_config

SAMPLE_CONFIG = Path(__file__).with_name("sample_board.yaml")
TZ = ZoneInfo("Europe/London")

Echo = Callable[[str], None]


def next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def sample_meeting_dates(today: dt.date) -> list[dt.date]:
    """The sample board meets on Thursdays: five weeks on, then every eight weeks."""
    first = next_weekday(today + dt.timedelta(days=35), 3)
    return [first + dt.timedelta(weeks=8 * n) for n in range(3)]


def sample_config(today: dt.date) -> str:
    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    for n, day in enumerate(sample_meeting_dates(today), 1):
        text = text.replace(f"{{meeting{n}}}", day.isoformat())
    return text.replace("{closure1}", f"{today.year}-12-29")


def run_demo(out: Path, *, echo: Echo = print, today: dt.date | None = None) -> dict[str, Path]:
    """Run the demo into ``out``; return the files it wrote, by name."""
    today = today or utcnow().astimezone(TZ).date()
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "boardclerk-demo.db"
    for stale in (db_path, out / "boardclerk-demo.db-wal", out / "boardclerk-demo.db-shm"):
        stale.unlink(missing_ok=True)
    shutil.rmtree(out / "data", ignore_errors=True)
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    store = LocalFileStore(out / "data")
    clock = FixedClock(dt.datetime.combine(today, dt.time(9, 0), tzinfo=TZ).astimezone(dt.UTC))
    written: dict[str, Path] = {}

    config_path = out / "boardclerk.yaml"
    config_path.write_text(sample_config(today), encoding="utf-8")
    config = load_config(config_path)
    with transaction(engine) as session:
        import_config(session, config, now=clock.now())
    meeting_ref = f"hwb:{sample_meeting_dates(today)[0].isoformat()}"
    echo(f"boardclerk demo — {config.organisation}, {config.bodies[0].name}")
    echo(f"Configuration: {config_path}  Database: {db_path}")
    echo("")

    from agenda.pack.readiness import meeting_readiness, render_readiness

    _show_forward_plan(engine, echo)
    submit_sample_papers(engine, store, meeting_ref, clock, echo)
    with transaction(engine) as session:
        echo("")
        echo("Readiness:")
        echo(render_readiness(meeting_readiness(session, meeting_ref, now=clock.now()), TZ))

    from agenda.demo.steps import demo_packs, demo_reminders

    demo_reminders(engine, meeting_ref, now=clock.now(), echo=echo)
    packs = demo_packs(engine, store, meeting_ref, out, now=clock.now(), echo=echo)
    written.update(packs)
    if packs:
        _demo_publish(engine, store, meeting_ref, clock, echo)
    written["minutes"] = _demo_minutes(engine, store, meeting_ref, out, clock, echo)
    written.update(
        _demo_minutes_loop(engine, store, meeting_ref, written["minutes"], out, clock, echo)
    )

    written["site"] = _demo_site(engine, store, out, clock, echo)
    echo("")
    echo(f"Done. Files are in {out}/")
    engine.dispose()
    written["config"] = config_path
    return written


def _demo_site(
    engine: Engine, store: LocalFileStore, out: Path, clock: FixedClock, echo: Echo
) -> Path:
    """The public meeting site as static files, and where `boardclerk web` would serve it."""
    from agenda import settings
    from agenda.public.export import export_site
    from agenda.public.pages import Site

    env = settings.current()
    with transaction(engine) as session:
        done = export_site(
            session,
            store,
            out / "site",
            clock.now(),
            site=Site(base="/", colour=env.site_colour, public_url=env.public_url),
        )
    echo("")
    echo(done.summary())
    base = (env.public_url or "http://localhost:3000/").rstrip("/") + env.site_path
    echo(
        f"  `boardclerk web` serves it at {base} (run it with DATABASE_URL=sqlite:///"
        f"{out / 'boardclerk-demo.db'} BOARDCLERK_DATA_DIR={out / 'data'})."
    )
    return out / "site" / "index.html"


def _demo_publish(
    engine: Engine,
    store: LocalFileStore,
    meeting_ref: str,
    clock: FixedClock,
    echo: Echo,
) -> None:
    """The clerk publishes the agenda: in Slack the public pack and a notice with "Send
    apologies" and "Declare an interest" buttons go to the body's channel or its members."""
    from agenda.pack.publication import publish_meeting

    with transaction(engine) as session:
        notice = publish_meeting(
            session, store, actor=Actor.cli("clerk"), meeting_ref=meeting_ref, now=clock.now()
        )
    echo("")
    echo(f"Published: {notice.notice_text()}")
    if note := notice.chasing_note():
        echo(f"  {note}")
    echo(
        f"  In Slack the notice and {notice.pack_file_name} go to "
        + (
            f"channel {notice.channel}."
            if notice.channel
            else f"{len(notice.member_slack_ids)} members by direct message."
        )
    )


def _demo_minutes(
    engine: Engine,
    store: LocalFileStore,
    meeting_ref: str,
    out: Path,
    clock: FixedClock,
    echo: Echo,
) -> Path:
    """Members send apologies and declare an interest; the clerk builds the minutes skeleton."""
    from agenda.demo.steps import demo_sample_attendance, demo_write_minutes

    with transaction(engine) as session:
        echo("")
        echo("Apologies and declarations:")
        for line in demo_sample_attendance(session, meeting_ref, now=clock.now()):
            echo(f"  {line}")
        path = demo_write_minutes(session, store, meeting_ref, out, now=clock.now())
    echo(f"Minutes skeleton: {path}")
    return path


def _demo_minutes_loop(
    engine: Engine,
    store: LocalFileStore,
    meeting_ref: str,
    draft: Path,
    out: Path,
    clock: FixedClock,
    echo: Echo,
) -> dict[str, Path]:
    """After the meeting the clerk writes up the minutes and files the approved public and
    confidential (Part B) minutes: the public part becomes the first paper of the next
    meeting, the confidential part an exempt paper in its private pack only. The next
    meeting's packs are built and published, and its minutes skeleton continues the
    numbering. Returns the files written, by name."""
    from agenda.board.agenda_of import build_agenda
    from agenda.demo.approved import EXEMPT_DISCUSSION, write_up
    from agenda.documents.minutes_style import load_minutes_style
    from agenda.minutes.service import build_minutes, file_approved_minutes

    actor = Actor.cli("clerk")
    written: dict[str, Path] = {}
    with transaction(engine) as session:
        meeting = get_meeting(session, meeting_ref)
        clock.set(meeting.starts_at + dt.timedelta(days=7))  # a week after the meeting
        style = load_minutes_style(meeting.body.style)
        skeleton = build_minutes(session, store, meeting_ref, actor=actor, now=clock.now())
        public = write_up(store.get(skeleton.sha256), style)
        secret = (
            write_up(store.get(skeleton.confidential.sha256), style, discussion=EXEMPT_DISCUSSION)
            if skeleton.confidential
            else None
        )
        base = f"{meeting.body.key}-{meeting.date}-minutes"
        for name, data in (
            (f"{base}-approved.docx", public),
            (f"{base}-part-b-approved.docx", secret),
        ):
            if data is not None:
                (out / name).write_bytes(data)
                written[name] = out / name
        filed = file_approved_minutes(
            session,
            store,
            actor=actor,
            meeting_ref=meeting_ref,
            file_name=f"{base}-approved.docx",
            data=public,
            confidential_file_name=f"{base}-part-b-approved.docx" if secret else None,
            confidential_data=secret,
            now=clock.now(),
            source="demo",
        )
    echo("")
    echo("After the meeting:")
    echo(f"  {filed.summary()}")
    with transaction(engine) as session:
        following = get_meeting(session, filed.next_meeting_ref)
        first = build_agenda(session, following, private=False).entries
        paper = next(e for e in first if e.paper is not None)
        echo(
            f"  {filed.next_meeting_ref}: item {paper.number} '{paper.heading}' is "
            f"{paper.stamp or 'its first paper'}"
        )
    from agenda.demo.steps import demo_packs

    packs = demo_packs(engine, store, filed.next_meeting_ref, out, now=clock.now(), echo=echo)
    written.update(packs)
    if packs:
        _demo_publish(engine, store, filed.next_meeting_ref, clock, echo)
    with transaction(engine) as session:
        result = build_minutes(session, store, filed.next_meeting_ref, actor=actor, now=clock.now())
        path = out / result.file_name
        path.write_bytes(store.get(result.sha256))
        written["next_minutes"] = path
    echo(
        f"  Minutes skeleton for {filed.next_meeting_ref}: {path.name} (minutes "
        f"{result.first_number}-{result.last_number})"
    )
    return written


def _show_forward_plan(engine: Engine, echo: Echo) -> None:
    from agenda.plan.items import forward_plan

    with transaction(engine) as session:
        echo("Forward plan:")
        for plan in forward_plan(session):
            echo(f"  {plan.meeting_ref}  {short_moment(plan.starts_at.astimezone(TZ))}")
            for item in plan.items:
                exempt = " [EXEMPT]" if item.exempt else ""
                echo(f"    #{item.id:<3} {item.kind:<12} {item.title}{exempt}")


def submit_sample_papers(
    engine: Engine,
    store: LocalFileStore,
    meeting_ref: str,
    clock: FixedClock,
    echo: Echo,
) -> None:
    """Authors submit generated papers: most on time, one late, one not at all."""
    from agenda.board.due import item_due_at
    from agenda.demo.papers import make_report_docx, make_report_pdf, sample_report_for
    from agenda.plan.papers import submit_paper

    with transaction(engine) as session:
        meeting = get_meeting(session, meeting_ref)
        style = meeting.body.style
        reports = [i for i in meeting.items if i.kind == "report"]
        due = item_due_at(reports[0]) if reports else None
        plan = [
            (i.id, i.title, i.lead, i.exempt_reason, [a.slack_id for a in i.authors])
            for i in reports
        ]
        body_name, meeting_day = meeting.body.name, meeting.date
    if due is None:
        return
    echo("")
    echo("Submissions:")
    for n, (item_id, title, lead, exempt_reason, authors) in enumerate(plan):
        if n == 2:
            echo(f"  #{item_id} {title}: not submitted yet")
            continue
        # Papers arrive over the days before the deadline; the Winter Plan comes in a day late,
        # and the exempt contract award last of all, once the tender evaluation is done (the
        # publication guard excuses only public wording that was there before exempt text).
        late = n == 3 or exempt_reason is not None
        clock.set(
            due
            + (
                dt.timedelta(days=1, hours=exempt_reason is not None)
                if late
                else -dt.timedelta(days=6 - n)
            )
        )
        report = sample_report_for(
            title, body_name, meeting_day, lead=lead, exempt_reason=exempt_reason, seed=n
        )
        if n == 1:
            data, name = (
                make_report_pdf(report, style, pages=4, landscape_pages=1, seed=n),
                f"{_slug(title)}.pdf",
            )
        else:
            data, name = (
                make_report_docx(report, style, pages=3 + n, landscape_appendix=n == 0, seed=n),
                f"{_slug(title)}.docx",
            )
        actor = Actor.slack(authors[0]) if authors and authors[0] else Actor.cli("clerk")
        with transaction(engine) as session:
            receipt = submit_paper(
                session,
                store,
                actor=actor,
                item_id=item_id,
                file_name=name,
                data=data,
                title=title,
                presenter=report.presenter,
                authors=report.author,
                executive_summary=report.executive_summary,
                recommendations=report.recommendations,
                late_reason=(
                    None
                    if not late
                    else "waiting for the tender evaluation"
                    if exempt_reason
                    else "waiting for this winter's NHS activity data"
                ),
                now=clock.now(),
                source="demo",
            )
        echo(f"  {receipt.summary(str(TZ))}")
    clock.set(due + dt.timedelta(days=2))


def _slug(title: str) -> str:
    return "-".join(title.lower().split())[:60]
