"""House styles are data: the three shipped styles load with the seeds' conventions, a broken
style.yaml or minutes.yaml is reported with its file name and line, and a new style needs only
a folder."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.shared import Mm

from agenda.documents.house_style import ENV_TEMPLATES_DIR, load_style, style_names, styles_dir
from agenda.documents.minutes_style import load_minutes_style
from agenda.errors import ConfigError, NotFound

SHIPPED = ("council-appendix", "council-agenda-item", "company-board")

LONDON = ZoneInfo("Europe/London")


def test_the_three_house_styles_ship_with_the_product() -> None:
    assert set(SHIPPED) <= set(style_names())
    for name in SHIPPED:
        style = load_style(name)
        assert style.name == name and style.display_name
        assert style.path == styles_dir() / name


def test_city_style_follows_the_leicester_city_agenda() -> None:
    city = load_style("council-appendix")
    assert city.chair_title == "Chair" and city.chair_suffix == "(Chair)"
    assert [p.key for p in city.opening] == ["apologies", "declarations", "minutes"]
    assert city.heading("Declarations of interest") == "DECLARATIONS OF INTEREST"
    assert city.papers.letters and city.papers.stamp == "Appendix {letter}"
    when = dt.datetime(2014, 4, 3, 9, 30, tzinfo=LONDON)
    assert city.format_date(when) == "THURSDAY, 3 APRIL 2014"
    assert city.format_time(when) == "9:30 am"
    assert city.frontsheet.summons.startswith("Members of the Board are summoned to attend")


def test_county_style_puts_the_minutes_first_and_stamps_agenda_item_numbers() -> None:
    county = load_style("council-agenda-item")
    assert county.chair_title == "Chairman"
    assert [p.key for p in county.opening] == [
        "minutes",
        "urgent_items",
        "declarations",
        "position_statement",
    ]
    assert county.heading("Urgent Items") == "Urgent Items."
    assert not county.papers.letters and county.papers.stamp == "Agenda Item {number}"
    assert county.format_time(dt.datetime(2014, 11, 20, 14, 0, tzinfo=LONDON)) == "2.00 pm"


def test_company_board_style_letters_its_papers() -> None:
    board = load_style("company-board")
    assert board.papers.letters and board.papers.stamp == "Paper {letter}"
    assert board.heading("Chair's report") == "Chair's report"
    assert "Public Bodies (Admission to Meetings) Act 1960" in board.part_b.exclusion.description


def test_each_style_has_a_rebrandable_a4_word_frontsheet() -> None:
    for name in SHIPPED:
        template = load_style(name).frontsheet_template
        assert template is not None
        doc = Document(str(template))
        names = {s.name for s in doc.styles}
        assert {"BC Title", "BC Item Heading", "BC Item Text"} <= names
        section = doc.sections[0]
        assert abs(section.page_width - Mm(210)) < Mm(1) and abs(
            section.page_height - Mm(297)
        ) < Mm(1)
        assert "{organisation}" in section.header.paragraphs[0].text


def test_template_script_makes_a_template(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[2] / "templates" / "make_templates.py"
    spec = importlib.util.spec_from_file_location("make_templates", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    out = tmp_path / "t.docx"
    module.make_template(module.LOOKS["company-board"]).save(str(out))
    assert Document(str(out)).styles["Normal"].font.name == "Calibri"


def test_unknown_style_names_the_known_ones() -> None:
    with pytest.raises(NotFound) as err:
        load_style("parish-council")
    assert "parish-council" in str(err.value) and "council-appendix" in str(err.value)


@pytest.fixture
def own_styles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "templates"
    (root / "styles").mkdir(parents=True)
    monkeypatch.setenv(ENV_TEMPLATES_DIR, str(root))
    return root / "styles"


def _copy_style(styles: Path, new: str, source: str = "company-board") -> Path:
    target = styles / new
    shutil.copytree(Path(__file__).resolve().parents[2] / "templates" / "styles" / source, target)
    return target / "style.yaml"


def test_a_fourth_style_is_just_a_folder(own_styles: Path) -> None:
    path = _copy_style(own_styles, "charity-trustees")
    path.write_text(
        path.read_text().replace(
            "display_name: Company or NHS board", "display_name: Charity trustees"
        )
    )
    assert "charity-trustees" in style_names()
    assert set(SHIPPED) <= set(style_names())  # the bundled ones stay available
    assert load_style("charity-trustees").display_name == "Charity trustees"
    assert styles_dir() == own_styles


def test_broken_yaml_is_reported_with_file_and_line(own_styles: Path) -> None:
    path = _copy_style(own_styles, "broken")
    path.write_text("display_name: [unclosed\nchair_title: Chair\n")
    with pytest.raises(ConfigError) as err:
        load_style("broken")
    assert str(path) in str(err.value) and "YAML" in str(err.value)


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        ("chair_title: Chair\n", "", "'chair_title' is missing"),
        ("heading_case: as_written", "heading_case: shouting", "'heading_case' is 'shouting'"),
        (
            "{lead} to present a paper on {title}",
            "{lead} to present a paper on {subject}",
            "unknown placeholder {subject}",
        ),
        ("future_dates_limit: 3", "future_dates_limt: 3", "unknown key 'future_dates_limt'"),
        ('stamp: "Paper {letter}"', 'stamp: "Paper {letter"', "broken placeholder"),
    ],
)
def test_mistakes_in_a_style_name_the_file_and_the_key(
    own_styles: Path, old: str, new: str, complaint: str
) -> None:
    path = _copy_style(own_styles, "typo")
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ConfigError) as err:
        load_style("typo")
    assert str(path) in str(err.value)
    assert complaint in str(err.value)


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_broken_minutes_yaml_is_reported_with_file_and_line(own_styles: Path) -> None:
    path = _copy_style(own_styles, "broken").parent / "minutes.yaml"
    path.write_text('heading:\n  - "Minutes of {body_name}"\ndate_long: [unclosed\n')
    with pytest.raises(ConfigError) as err:
        load_minutes_style("broken")
    assert f"{path}:" in str(err.value) and "not valid YAML" in str(err.value)
    assert err.value.line is not None


@pytest.mark.parametrize(
    ("old", "new", "key", "complaint"),
    [
        ("separator: null", "seperator: null", "seperator", "unknown key 'seperator'"),
        ("number_digits: 0", "number_digits: none", "number_digits", "must be a whole number"),
        ("layout: list", "layout: [list]", "layout", "'attendance.layout' must be text, not list"),
        ("layout: list", "layout: columns", "layout", "'attendance.layout' is 'columns'"),
        (
            "and_before_last: false",
            "and_before_last: sometimes",
            "and_before_last",
            "'resolution.and_before_last' must be true or false",
        ),
        (
            '"{Weekday} {day} {Month} {year}"',
            '"{weekday} {day} {month} {year}"',
            "date_long",
            "unknown placeholder {weekday}",
        ),
        ("{hour}.{minute} {ampm}", "{hour}.{minute:02d} {ampm}", "time_format", "{minute}"),
        ("from {lead_mid} on", "from {presenter} on", "report", "unknown placeholder {presenter}"),
    ],
)
def test_mistakes_in_minutes_yaml_name_the_file_the_line_and_the_key(
    own_styles: Path, old: str, new: str, key: str, complaint: str
) -> None:
    path = _copy_style(own_styles, "typo").parent / "minutes.yaml"
    text = path.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_minutes_style("typo")
    assert f"{path}:{_line_of(text, key + ':')}: " in str(err.value)
    assert complaint in str(err.value)


def test_a_minutes_style_missing_a_required_key_says_which(own_styles: Path) -> None:
    path = _copy_style(own_styles, "typo").parent / "minutes.yaml"
    path.write_text(path.read_text().replace('time_format: "{hour}.{minute} {ampm}"\n', ""))
    with pytest.raises(ConfigError, match="'time_format' is missing"):
        load_minutes_style("typo")


def test_mistakes_in_style_yaml_name_the_line_too(own_styles: Path) -> None:
    path = _copy_style(own_styles, "typo")
    text = path.read_text().replace("future_dates_limit: 3", "future_dates_limt: 3", 1)
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_style("typo")
    assert f"{path}:{_line_of(text, 'future_dates_limt')}: unknown key" in str(err.value)


def test_a_rebranded_style_yaml_alone_keeps_the_shipped_minutes(own_styles: Path) -> None:
    (_copy_style(own_styles, "company-board").parent / "minutes.yaml").unlink()
    assert load_style("company-board").path == own_styles / "company-board"
    assert load_minutes_style("company-board").layout == "list"  # the shipped minutes.yaml
