"""A malformed configuration is reported with file, line and hint, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from agenda.board.config import load_config, parse_config
from agenda.documents.house_style import style_names
from agenda.errors import ConfigError
from tests.support.boards import sample_text

TODAY = dt.date(2027, 3, 1)


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_config(
        text,
        "board.yaml",
        styles=style_names(),
        validate_rule=__import__("agenda.board.due").board.due.validate_rule,
    )


def broken(replace: str, with_: str) -> str:
    text = sample_text(TODAY)
    assert replace in text, replace
    return text.replace(replace, with_, 1)


def problem_of(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse(text)
    return info.value


def test_sample_configuration_is_valid() -> None:
    config = parse(sample_text(TODAY))
    assert config.organisation == "Leicester City Council"
    body = config.bodies[0]
    assert body.id == "hwb" and body.style == "council-appendix"
    assert body.clerk is not None and body.clerk.slack == "U0CLERK01"
    assert len(body.meetings) == 3 and body.meetings[0].time == dt.time(14, 0)
    assert [i.title for i in config.forward_plan][:2] == [
        "Better Care Fund Plan",
        "Joint Health and Wellbeing Strategy Refresh",
    ]


def test_bad_yaml_names_the_file_and_line() -> None:
    err = problem_of(broken("    name: Health and Wellbeing Board", "    name: [Health"))
    assert err.path == "board.yaml" and err.line is not None
    assert "not valid YAML" in str(err)


def test_unknown_key_is_reported_with_its_line_and_a_suggestion() -> None:
    text = broken("    next_minute_number: 61", "    next_minute_numbr: 61")
    err = problem_of(text)
    line = text.splitlines().index("    next_minute_numbr: 61") + 1
    assert err.line == line
    assert "unknown key 'next_minute_numbr'" in str(err) and "next_minute_number" in str(err)


def test_unknown_house_style_lists_the_known_ones() -> None:
    err = problem_of(broken("style: council-appendix", "style: council-fancy"))
    assert "house style 'council-fancy'" in str(err)
    assert "council-agenda-item" in str(err)


def test_a_date_that_does_not_exist_is_refused() -> None:
    text = sample_text(TODAY)
    first = text.split("- {date: ", 1)[1][:10]
    err = problem_of(text.replace(f"date: {first}", "date: 2027-02-30", 1))
    assert "2027-02-30" in str(err) and "not a date that exists" in str(err)


def test_a_member_named_twice_is_refused() -> None:
    err = problem_of(broken("{name: Councillor Adam Clarke,", "{name: Councillor Rory Palmer,"))
    assert "Councillor Rory Palmer is named twice" in str(err)


def test_an_item_for_a_meeting_not_in_the_file_is_refused() -> None:
    text = sample_text(TODAY)
    first = text.split("- {date: ", 1)[1][:10]
    err = problem_of(
        text.replace(
            f"meeting: {first}, title: Better Care Fund Plan",
            "meeting: 2031-01-02, title: Better Care Fund Plan",
        )
    )
    assert "2031-01-02" in str(err) and "has no meeting that day" in str(err)


def test_an_unparseable_deadline_rule_is_refused_with_a_hint() -> None:
    err = problem_of(broken("papers_due: 10 working days before", "papers_due: ten-ish days early"))
    assert "ten-ish days early" in str(err)


def test_every_problem_is_listed_at_once() -> None:
    text = broken("style: council-appendix", "style: nope").replace("kind: verbal", "kind: song")
    err = problem_of(text)
    assert "1 more problem" in str(err) and "kind 'song'" in str(err)


def test_exempt_item_without_reason_is_refused() -> None:
    text = sample_text(TODAY)
    start = text.index("     exempt_reason:")
    end = text.index("\n", start)
    err = problem_of(text[:start] + text[end + 1 :])
    assert "exempt but gives no exempt_reason" in str(err)


def test_missing_file_says_how_to_make_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.yaml")
    assert "does not exist" in str(info.value) and "boardclerk init" in str(info.value)


def test_bad_config_writes_nothing(sqlite_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from agenda.board.models import Body, Organisation
    from agenda.cli.main import main

    path = tmp_path / "board.yaml"
    path.write_text(broken("style: council-appendix", "style: nope"), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["--database-url", str(sqlite_engine.url), "import", str(path)]
    )
    assert result.exit_code == 2
    assert f"{path}:" in result.output and "house style 'nope'" in result.output
    with sqlite_engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Organisation)) == 0
        assert conn.scalar(select(func.count()).select_from(Body)) == 0


def test_language_and_accessibility_policy_are_read_and_checked() -> None:
    from agenda.board.config import parse_config
    from agenda.errors import ConfigError

    base = (
        "organisation: Test Council\n{lang}bodies:\n  - id: hwb\n    name: HWB\n"
        "    style: council-appendix\n{policy}"
    )
    config = parse_config(base.format(lang="", policy=""), "b.yaml", styles=None)
    assert config.language == "en-GB" and config.bodies[0].accessibility == "warn"
    config = parse_config(
        base.format(lang="language: cy-GB\n", policy="    accessibility: require\n"),
        "b.yaml",
        styles=None,
    )
    assert config.language == "cy-GB" and config.bodies[0].accessibility == "require"
    with pytest.raises(ConfigError) as err:
        parse_config(
            base.format(lang="language: English\n", policy="    accessibility: strict\n"),
            "b.yaml",
            styles=None,
        )
    assert "language 'English' is not a language tag" in str(err.value)
    assert "accessibility 'strict' of body 'hwb' is not known" in str(err.value)
