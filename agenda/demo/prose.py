"""Vocabulary and sentence templates for the sample papers in :mod:`agenda.demo.papers`.

Everything is drawn from a ``random.Random`` the caller seeds, so a seed always gives the same
paper. The wording follows the Leicester City and Leicestershire County Health and Wellbeing
Board papers in ``shared/seeds/`` (see ``shared/domain.md`` section 4).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

EXEMPT_PARAGRAPH_3 = (
    "Information relating to the financial or business affairs of any particular person "
    "(including the authority holding that information) (Paragraph 3 of Schedule 12A to the "
    "Local Government Act 1972)."
)


@dataclass(frozen=True)
class Topic:
    """One kind of paper a Health and Wellbeing Board receives."""

    title: str
    lead: str
    subject: str  # how the prose refers to it: "the Better Care Fund plan"
    aims: tuple[str, ...]  # verb phrases: "reduce avoidable emergency admissions"
    measures: tuple[str, ...]  # things with a number: "emergency admissions of people aged 65+"
    recommendations: tuple[str, ...]
    exempt_reason: str | None = None


TOPICS: tuple[Topic, ...] = (
    Topic(
        "Better Care Fund Plan {year}/{next_yy}",
        "Strategic Director, Adult Social Care and Health",
        "the Better Care Fund plan",
        (
            "reduce avoidable emergency admissions",
            "support timely discharge from hospital",
            "keep people independent at home for longer",
            "pool budgets for integrated care",
        ),
        (
            "non-elective admissions",
            "delayed transfers of care",
            "permanent admissions to residential care (65+)",
            "people still at home 91 days after reablement",
        ),
        (
            "approve the Better Care Fund plan for submission to NHS England on {deadline}",
            "note the national conditions and the metrics set out in section 4",
            "delegate final sign-off of the planning template to the Chair and the Director of "
            "Adult Social Care",
            "receive quarterly performance reports on the Better Care Fund metrics",
        ),
    ),
    Topic(
        "Joint Health and Wellbeing Strategy Refresh",
        "Director of Public Health",
        "the draft Joint Health and Wellbeing Strategy",
        (
            "close the gap in healthy life expectancy",
            "give every child the best start in life",
            "improve mental wellbeing across the life course",
            "make healthy choices easier",
        ),
        (
            "healthy life expectancy (female)",
            "healthy life expectancy (male)",
            "children achieving a good level of development",
            "adults who are physically active",
        ),
        (
            "agree the overall aim and approach of the strategy",
            "comment on any aspect of the draft document",
            "agree to receive a final draft of the strategy at its meeting in {month_later}",
        ),
    ),
    Topic(
        "Pharmaceutical Needs Assessment {year}",
        "Consultant in Public Health",
        "the Pharmaceutical Needs Assessment",
        (
            "assess access to community pharmacy services",
            "identify gaps in provision",
            "inform decisions on market entry applications",
            "consult on the draft assessment",
        ),
        (
            "community pharmacies per 100,000 population",
            "pharmacies open 100 hours per week",
            "residents within 20 minutes' walk of a pharmacy",
            "pharmacies offering flu vaccination",
        ),
        (
            "note the findings of the draft Pharmaceutical Needs Assessment",
            "approve the draft for statutory consultation of 60 days",
            "delegate approval of the final assessment to the Director of Public Health",
        ),
    ),
    Topic(
        "Winter Plan {year}/{next_yy}",
        "Chief Operating Officer, Integrated Care Board",
        "the system winter plan",
        (
            "maintain flow through urgent and emergency care",
            "protect elective activity",
            "increase uptake of flu and COVID-19 vaccination",
            "support care homes over winter",
        ),
        (
            "ambulance handovers within 30 minutes",
            "four-hour A&E performance",
            "flu vaccine uptake in people aged 65+",
            "patients with no criteria to reside",
        ),
        (
            "note the system winter plan and the risks set out in section 5",
            "support the communications campaign described in paragraph 3.4",
            "receive a post-winter review at its meeting in {month_later}",
            "ask partners to confirm their escalation contacts for the Christmas period",
        ),
    ),
    Topic(
        "Child Poverty Strategy",
        "Strategic Director, Social Care and Education",
        "the child poverty strategy",
        (
            "maximise household income",
            "improve access to affordable food",
            "support parents into good work",
            "reduce the cost of the school day",
        ),
        (
            "children in relative low-income families",
            "uptake of free school meals",
            "families supported by the Household Support Fund",
            "Healthy Start voucher uptake",
        ),
        (
            "endorse the child poverty strategy and its four priorities",
            "ask each partner to name a lead for the action plan",
            "receive an annual progress report",
        ),
    ),
    Topic(
        "Suicide Prevention Action Plan",
        "Director of Public Health",
        "the suicide prevention action plan",
        (
            "reduce the risk of suicide in high-risk groups",
            "tailor support for people who self-harm",
            "provide better information for people bereaved by suicide",
            "support the media in reporting suicide sensitively",
        ),
        (
            "suicides per 100,000 population",
            "emergency admissions for intentional self-harm",
            "staff trained in suicide awareness",
            "referrals to the bereavement service",
        ),
        (
            "note the progress made against the action plan",
            "support the real-time surveillance arrangements described in section 3",
            "agree that partners sign the local suicide prevention pledge",
        ),
    ),
    Topic(
        "Healthwatch Annual Report {year}",
        "Chief Executive, Healthwatch",
        "the Healthwatch annual report",
        (
            "gather the views of local people on health and care services",
            "make recommendations to commissioners",
            "signpost people to information and advice",
            "carry out Enter and View visits",
        ),
        (
            "people who shared their experiences",
            "Enter and View visits completed",
            "volunteer hours contributed",
            "recommendations accepted by providers",
        ),
        (
            "receive the Healthwatch annual report",
            "note the priorities for the coming year",
            "refer the recommendations on access to GP services to the Integrated Care Board",
        ),
    ),
    Topic(
        "Director of Public Health Annual Report {year}",
        "Director of Public Health",
        "the Director of Public Health's annual report",
        (
            "describe the health of the local population",
            "highlight inequalities between wards",
            "set out recommendations for partners",
            "celebrate community action on health",
        ),
        (
            "life expectancy gap between most and least deprived wards",
            "smoking prevalence in adults",
            "excess weight in children in Year 6",
            "alcohol-related hospital admissions",
        ),
        (
            "receive the Director of Public Health's annual report",
            "consider how partners will respond to its recommendations",
            "agree to receive a response from each partner at a future meeting",
        ),
    ),
    Topic(
        "Learning Disability Mortality Review (LeDeR) Annual Report",
        "Deputy Chief Nurse, Integrated Care Board",
        "the LeDeR annual report",
        (
            "learn from the deaths of people with a learning disability",
            "improve annual health checks",
            "reduce avoidable deaths",
            "involve families in reviews",
        ),
        (
            "reviews completed within six months",
            "annual health checks completed",
            "median age at death",
            "deaths rated as avoidable",
        ),
        (
            "note the findings of the LeDeR annual report",
            "support the actions on annual health checks in section 4",
        ),
    ),
    Topic(
        "Special Educational Needs and Disabilities (SEND) Inspection Update",
        "Director of Children and Family Services",
        "the SEND improvement plan",
        (
            "improve the timeliness of Education, Health and Care plans",
            "reduce waits for neurodevelopmental assessment",
            "strengthen joint commissioning",
            "listen to children, young people and their families",
        ),
        (
            "EHC plans issued within 20 weeks",
            "children waiting for an autism assessment",
            "families rating the local offer as good",
            "joint commissioning decisions taken",
        ),
        (
            "note the outcome of the local area SEND inspection",
            "endorse the priority action plan",
            "receive an update at each meeting until {month_later}",
        ),
    ),
    Topic(
        "Care Home Contract Award",
        "Director of Adult Social Care Commissioning",
        "the proposed award of residential and nursing care home contracts",
        (
            "secure sufficient care home capacity",
            "stabilise the local care market",
            "improve the quality of care home provision",
            "achieve value for money",
        ),
        (
            "care home beds commissioned",
            "homes rated good or outstanding by the CQC",
            "average weekly fee (residential)",
            "average weekly fee (nursing)",
        ),
        (
            "approve the award of contracts to the preferred providers set out in Appendix 1",
            "delegate authority to finalise the contract terms to the Director of Finance",
            "note the fee uplift of {pct}% from 1 April",
        ),
        EXEMPT_PARAGRAPH_3,
    ),
)

FIRST_NAMES = (
    "Ruth",
    "Mark",
    "Rachna",
    "Ivan",
    "Deb",
    "Steven",
    "Mayur",
    "Sue",
    "Andy",
    "Kate",
    "Mike",
    "Lesley",
    "Tim",
    "Gillian",
    "Sian",
    "Amrit",
    "Nadia",
    "Owen",
    "Priya",
    "Graham",
    "Joanne",
    "Hassan",
    "Claire",
    "Matt",
    "Rod",
    "Angela",
    "Simon",
    "Kirsty",
    "Jay",
    "Fiona",
)
SURNAMES = (
    "Tennant",
    "Wheeler",
    "Vyas",
    "Browne",
    "Watson",
    "Forbes",
    "Patel",
    "Lock",
    "Sacks",
    "Shields",
    "Sandys",
    "Hagger",
    "Adams",
    "Walls",
    "Kaur",
    "Hussain",
    "Moore",
    "Curtis",
    "Carey",
    "Brodie",
    "Holt",
    "Keeling",
    "Mistry",
    "O'Neill",
    "Clarke",
    "Bhatti",
    "Osman",
)
AUTHOR_ROLES = (
    "Head of Strategy and Planning",
    "Public Health Consultant",
    "Programme Manager",
    "Head of Commissioning",
    "Senior Public Health Intelligence Analyst",
    "Lead Commissioner",
    "Integration Programme Lead",
    "Strategic Lead for Health and Wellbeing",
    "Partnership and Engagement Manager",
    "Head of Performance",
)
ORGANISATIONS = (
    "Leicester City Council",
    "Leicestershire County Council",
    "Leicester City ICB",
    "University Hospitals of Leicester NHS Trust",
    "Leicestershire Partnership NHS Trust",
    "Healthwatch Leicester",
    "Voluntary Action Leicester",
    "Leicestershire Police",
)
PARTNERS = (
    "the Integrated Care Board",
    "the local authority",
    "primary care networks",
    "University Hospitals of Leicester",
    "Leicestershire Partnership NHS Trust",
    "the voluntary and community sector",
    "Healthwatch",
    "district councils",
    "the East Midlands Ambulance Service",
    "housing providers",
    "the police and fire services",
)
GROUPS = (
    "service users and carers",
    "patient participation groups",
    "young people",
    "older people's forums",
    "carers' organisations",
    "community and faith groups",
    "frontline staff",
    "GP practices",
    "care home managers",
    "the Youth Council",
)
CHANNELS = (
    "a series of community workshops",
    "an online survey",
    "focus groups",
    "drop-in sessions at libraries and community centres",
    "the Citizens' Panel",
    "partner newsletters and social media",
)
BODIES = (
    "the Integration Executive",
    "the Joint Commissioning Board",
    "the Urgent Care Working Group",
    "the Health Protection Board",
    "the Children's Partnership Board",
    "the Mental Health Partnership Board",
    "the Place-Led Plan Delivery Group",
)
AREAS = (
    "the city",
    "the county",
    "Leicester, Leicestershire and Rutland",
    "each locality",
    "the most deprived wards",
    "the three places",
)
TRENDS_UP = ("improved", "risen", "increased")
TRENDS_DOWN = ("fallen", "reduced", "decreased")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
STATUSES = ("On track", "Complete", "Some slippage", "Not started", "At risk")
RAG = ("Green", "Amber", "Red", "Green", "Green", "Amber")

# Sentence templates. Slots: {subject} {aim} {measure} {partner} {partner2} {group} {channel}
# {body} {area} {month} {month2} {year} {pct} {pct2} {amount} {n} {quarter} {trend} {para}.
SENTENCES = (
    "Work on {subject} is being led jointly by {partner} and {partner2}, reporting to {body}.",
    "Since {month} {year}, the rate of {measure} has {trend} by {pct}%, compared with {pct2}% "
    "across England as a whole.",
    "Feedback from {group} highlighted the need to {aim} and to make information easier to find.",
    "Partners have agreed that the priority for the coming year is to {aim} across {area}.",
    "This builds on the work reported to the Board in {month} {year}, when members asked for a "
    "fuller account of progress.",
    "Engagement with {group} took place through {channel} between {month} and {month2}.",
    "Funding of £{amount} has been identified from existing budgets to {aim}.",
    "Performance is reviewed monthly by {body}, and exceptions are reported to this Board.",
    "The latest figures show that the rate of {measure} remains higher in {area} than the "
    "regional average.",
    "Staff time has been committed to the programme by {partner} until the end of {quarter}.",
    "A number of risks remain, in particular workforce capacity and the pace of recruitment.",
    "The programme is expected to {aim}, although the full benefits will not be seen until "
    "{next_year}.",
    "Members will recall that the Board asked for {subject} to be reviewed in the light of the "
    "new national guidance.",
    "An equality impact assessment has been completed and no adverse impacts were identified.",
    "Data on {measure} will be published quarterly on the council's website.",
    "Around {n} people have been supported so far, against a planned total of {n2} by {month2}.",
    "The approach has been tested in {area}, where early results are encouraging.",
    "{partner_cap} and {partner2} have agreed a shared set of outcome measures.",
    "Further detail is given in the table below and in Appendix 1.",
    "It is proposed that {body} oversees delivery and reports back to the Board twice a year.",
    "Learning from other areas suggests that the greatest gains come from early intervention.",
    "There is a continuing need to {aim}, given the rising demand described at paragraph {para}.",
)

SECTION_HEADINGS = (
    "Current position",
    "Progress to date",
    "Performance",
    "Consultation and engagement",
    "Options considered",
    "Delivery arrangements",
    "Next steps and timescales",
)

IMPACT_HEADINGS = (
    (
        "Equality and Human Rights Implications",
        "An equality impact assessment has been completed. The proposals are expected to have a "
        "positive impact on older people, disabled people and people on low incomes.",
    ),
    (
        "Partnership Working and associated issues",
        "Delivery depends on joint work between the local authority, the NHS and the voluntary and "
        "community sector, overseen by the Integration Executive.",
    ),
    (
        "Risk Assessment",
        "The main risks are workforce capacity, financial pressure across the system and the pace "
        "of change. Each is on the programme risk register and reviewed monthly.",
    ),
    ("Environmental Implications", "There are no direct environmental implications."),
)


def ordinal(day: int) -> str:
    """1 -> '1st', 22 -> '22nd' (the City cover's date style: '3rd April 2014')."""
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def long_date(day: dt.date) -> str:
    """'20 November 2014'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def fill_topic_text(text: str, meeting_date: dt.date, rng: random.Random) -> str:
    """Fill the slots a topic's title and recommendations may use."""
    later = MONTHS[(meeting_date.month + 2) % 12]
    deadline = meeting_date + dt.timedelta(days=rng.randint(3, 20))
    return text.format(
        year=meeting_date.year,
        next_yy=f"{(meeting_date.year + 1) % 100:02d}",
        month_later=f"{later} {meeting_date.year + (meeting_date.month + 2 >= 12)}",
        deadline=long_date(deadline),
        pct=rng.choice(("2.5", "3", "4.1", "5")),
    )


class Prose:
    """Deterministic sentences and paragraphs about one topic."""

    def __init__(
        self,
        topic: Topic,
        meeting_date: dt.date,
        rng: random.Random,
        *,
        running_numbers: bool = False,
    ) -> None:
        self.running_numbers = running_numbers  # County papers cite "paragraph 7", not "2.3"
        self.topic = topic
        self.meeting_date = meeting_date
        self.rng = rng

    def sentence(self, template: str | None = None) -> str:
        rng = self.rng
        year = self.meeting_date.year - rng.randint(0, 1)
        partner, partner2 = rng.sample(PARTNERS, 2)
        month, month2 = sorted(rng.sample(range(12), 2))
        n = rng.randint(40, 900)
        text = (template or rng.choice(SENTENCES)).format(
            subject=self.topic.subject,
            aim=rng.choice(self.topic.aims),
            measure=rng.choice(self.topic.measures),
            partner=partner,
            partner_cap=partner[0].upper() + partner[1:],
            partner2=partner2,
            group=rng.choice(GROUPS),
            channel=rng.choice(CHANNELS),
            body=rng.choice(BODIES),
            area=rng.choice(AREAS),
            month=MONTHS[month],
            month2=MONTHS[month2],
            year=year,
            next_year=self.meeting_date.year + rng.randint(1, 3),
            pct=f"{rng.uniform(1, 18):.1f}",
            pct2=f"{rng.uniform(1, 12):.1f}",
            amount=f"{rng.randint(45, 2400) * 1000:,}",
            n=n,
            n2=n + rng.randint(50, 600),
            quarter=f"{rng.choice(QUARTERS)} {self.meeting_date.year}/"
            f"{(self.meeting_date.year + 1) % 100:02d}",
            trend=rng.choice(TRENDS_UP + TRENDS_DOWN),
            para=(
                str(rng.randint(3, 9))
                if self.running_numbers
                else f"{rng.randint(2, 4)}.{rng.randint(1, 3)}"
            ),
        )
        return text[0].upper() + text[1:]

    def paragraph(self, sentences: tuple[int, int] = (2, 4)) -> str:
        templates = self.rng.sample(SENTENCES, self.rng.randint(*sentences))
        return " ".join(self.sentence(t) for t in templates)

    def table_rows(self, rows: int) -> list[list[str]]:
        """A performance table: header row then ``rows`` measures."""
        rng = self.rng
        header = ["Measure", "Baseline", "Target", "Latest", "RAG"]
        measures = list(self.topic.measures)
        rng.shuffle(measures)
        out = [header]
        for i in range(rows):
            base = rng.uniform(5, 95)
            out.append(
                [
                    measures[i % len(measures)],
                    f"{base:.1f}",
                    f"{base * rng.uniform(0.8, 1.2):.1f}",
                    f"{base * rng.uniform(0.75, 1.25):.1f}",
                    rng.choice(RAG),
                ]
            )
        return out

    def action_rows(self, rows: int, *, wide: bool) -> list[list[str]]:
        """An action plan for the appendix; ``wide`` adds columns for a landscape page."""
        rng = self.rng
        header = ["Ref", "Action", "Lead", "Due", "Status"]
        if wide:
            header = [
                "Ref",
                "Action",
                "Lead",
                "Partner",
                "Start",
                "Due",
                "Measure",
                "Status",
                "RAG",
            ]
        out = [header]
        aims = list(self.topic.aims)
        rng.shuffle(aims)
        for i in range(1, rows + 1):
            month = MONTHS[rng.randrange(12)]
            due = f"{month} {self.meeting_date.year + rng.randint(0, 1)}"
            aim = aims[(i - 1) % len(aims)]
            action = aim[0].upper() + aim[1:]
            lead = person(rng)
            status = rng.choice(STATUSES)
            if wide:
                partner = rng.choice(PARTNERS)
                out.append(
                    [
                        f"A{i}",
                        action,
                        lead,
                        partner[0].upper() + partner[1:],
                        f"{MONTHS[rng.randrange(12)][:3]} {self.meeting_date.year}",
                        due,
                        rng.choice(self.topic.measures),
                        status,
                        rng.choice(RAG),
                    ]
                )
            else:
                out.append([f"A{i}", action, lead, due, status])
        return out
