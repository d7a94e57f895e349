"""The demo: the Bulgarian 2016/2017 edition with its real winners, and an open edition.

Facts come from demo_data/edition-bg-2016.json (the programme's own publication). The 23
other practices of that edition are not named in the source: they are illustrative, marked
`is_illustrative`, and their scores are made up so that the computed ranking reproduces the
real 1st and 2nd places of each thematic area.
"""

import datetime as dt
import json
import random
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import ConsentPurpose, OfficerStatus
from accounts.models import Consent, User
from accounts.privacy import consent_record, privacy_notice_current
from accounts.second_factor import DEVICE_NAME, secret_text
from competitions.enums import Phase
from competitions.lifecycle import edition_phase_change
from competitions.models import Criterion, Edition, Municipality, RubricLevel, ThematicArea
from competitions.services import edition_copy, municipalities_import_csv
from practices.enums import EntryStatus, InnovationType
from practices.models import Entry, Practice, Topic
from practices.services import practice_classification_check, topic_save
from scoring.enums import RankingMethod, RunStatus, SheetStatus
from scoring.models import Assignment, JuryMember, JurySheet, RankingRun, SheetScore
from scoring.services.ranking import (
    ranking_run_create,
    ranking_run_execute,
    ranking_run_publish,
)
from scoring.services.rounds import round_add
from uptake.enums import AdoptionKind, FollowUpStatus, PracticeState
from uptake.models import Adoption, FollowUpReport

DATA = Path(__file__).resolve().parent / "demo_data"
DEMO_PASSWORD = "demo-pass-2016"
# The demo organiser's authenticator app (organisers sign in with a second factor): a
# published secret like the password, so anyone trying the demo can add it to an app
# (README, `load_demo`'s output) or ask `manage.py demo_code` for the current code.
DEMO_TOTP_KEY = b"demo-organiser-totp!".hex()
PUBLISHED_SLUG = "bg-2016-2017"
OPEN_SLUG = "demo-open"
# A third demo edition judged in two rounds: round 1 scored and closed, round 2 open, its
# shortlist left to the organiser (see `_rounds_edition`).
ROUNDS_SLUG = "demo-rounds"
ROUNDS_ENTRIES_PER_AREA = 5
SOFIA = zoneinfo.ZoneInfo("Europe/Sofia")

# (username, first, last, role, municipality name_en)
DEMO_ACCOUNTS = [
    ("organiser", "Мария", "Георгиева", "organiser", None),
    ("officer", "Петър", "Иванов", "officer", "Tundzha"),
    ("officer2", "Елена", "Димитрова", "officer", "Dobrich"),
    ("juror", "Николай", "Стоянов", "juror", None),
    ("juror2", "Анна", "Петрова", "juror", None),
]
# Three more jurors of the 2016/2017 jury, illustrative, without a usable password.
EXTRA_JURORS = [("juror3", "Георги", "Василев"), ("juror4", "Десислава", "Колева"),
                ("juror5", "Стефан", "Маринов")]
JUROR_BIAS = {"juror": 0.3, "juror2": -0.4, "juror3": 0.0, "juror4": 0.5, "juror5": -0.3}

CRITERIA_TEXT = {
    1: ("Доколко практиката отговаря на реална нужда на общността и какъв е измеримият ѝ "
        "ефект.", "How far the practice meets a real need of the community, and its measurable "
        "effect."),
    2: ("Доколко гражданите са информирани и участват; достъпни ли са решенията и данните.",
        "How far residents were informed and took part; are decisions and data open to all."),
    3: ("Ново ли е решението за общината или за страната; творчески ли са използвани "
        "ресурсите.", "Is the solution new for the municipality or the country; are resources "
        "used creatively."),
    4: ("Ще продължи ли практиката след края на финансирането; може ли да бъде пренесена "
        "другаде.", "Will the practice last beyond its funding; can others adopt it."),
}
RUBRIC = [
    (2, "Слабо: почти не отговаря на критерия.", "Weak: hardly meets the criterion."),
    (5, "Задоволително: отговаря отчасти, с пропуски.", "Fair: partly meets it, with gaps."),
    (8, "Много добро: отговаря убедително, с доказателства.",
     "Very good: meets it convincingly, with evidence."),
    (10, "Образцово: пример за цялата страна.", "Exemplary: a model for the whole country."),
]


@dataclass(frozen=True)
class DemoPractice:
    municipality_en: str
    areas: tuple[str, ...]
    title: str
    title_en: str
    quality: float
    implemented_on: dt.date


ILLUSTRATIVE = [
    DemoPractice("Tundzha", ("III",), "Социален патронаж в малките села",
                 "Social catering for small villages", 6.9, dt.date(2016, 2, 1)),
    DemoPractice("Dobrich", ("II",), "Електронно записване в детските градини",
                 "Online kindergarten enrolment", 7.2, dt.date(2016, 4, 11)),
    DemoPractice("Troyan", ("I",), "Читалищата като центрове на местни инициативи",
                 "Community centres as hubs for local initiatives", 6.4, dt.date(2016, 3, 1)),
    DemoPractice("Plovdiv", ("I", "III"), "Младежки доброволчески център",
                 "Youth volunteering centre", 7.4, dt.date(2016, 5, 16)),
    DemoPractice("Veliko Tarnovo", ("II",), "Портал за отворени данни на общината",
                 "Municipal open data portal", 7.1, dt.date(2016, 7, 1)),
    DemoPractice("Burgas", ("II",), "Интелигентно улично осветление със сигнали от граждани",
                 "Smart street lighting with residents' reports", 7.5, dt.date(2016, 6, 20)),
    DemoPractice("Burgas", ("I",), "Граждански бюджет", "Participatory budget", 7.3,
                 dt.date(2016, 1, 15)),
    DemoPractice("Gabrovo", ("III",), "Дневен център за деца с увреждания",
                 "Day centre for children with disabilities", 7.0, dt.date(2015, 11, 2)),
    DemoPractice("Gabrovo", ("II",), "Мобилно приложение за сигнали на гражданите",
                 "Mobile app for residents' reports", 6.6, dt.date(2016, 8, 8)),
    DemoPractice("Ruse", ("I",), "Малки грантове за граждански проекти",
                 "Small grants for civic projects", 7.0, dt.date(2016, 2, 22)),
    DemoPractice("Stara Zagora", ("II", "III"), "Електронни услуги за хора с увреждания",
                 "E-services for people with disabilities", 7.3, dt.date(2016, 9, 5)),
    DemoPractice("Sliven", ("III",), "Социално предприятие за озеленяване",
                 "A social enterprise for urban greening", 6.2, dt.date(2015, 10, 1)),
    DemoPractice("Kardzhali", ("I",), "Доброволци за чиста околна среда",
                 "Volunteers for a clean environment", 5.8, dt.date(2016, 4, 22)),
    DemoPractice("Smolyan", ("II",), "Геоинформационна система за устройственото планиране",
                 "A GIS for spatial planning", 6.8, dt.date(2016, 3, 14)),
    DemoPractice("Smolyan", ("III",), "Грижа в дома за възрастни хора в планинските села",
                 "Home care for older people in mountain villages", 7.2, dt.date(2016, 1, 4)),
    DemoPractice("Shumen", ("I",), "Обществен съвет за градската среда",
                 "A public council on the urban environment", 6.1, dt.date(2016, 6, 1)),
    DemoPractice("Pleven", ("II",), "Онлайн плащане на местни данъци и такси",
                 "Online payment of local taxes and fees", 6.5, dt.date(2016, 2, 1)),
    DemoPractice("Vratsa", ("III",), "Партньорство с бизнеса за заетост на младежи",
                 "A partnership with business for youth employment", 6.7, dt.date(2016, 5, 2)),
    DemoPractice("Blagoevgrad", ("I",), "Студентски идеи за града",
                 "Students' ideas for the city", 6.9, dt.date(2016, 10, 3)),
    DemoPractice("Haskovo", ("III",), "Център за обществена подкрепа",
                 "A community support centre", 6.3, dt.date(2015, 12, 1)),
    DemoPractice("Kazanlak", ("II",), "Електронен документооборот",
                 "Electronic document management", 5.9, dt.date(2016, 4, 4)),
    DemoPractice("Mladost district", ("I",), "Зелени междублокови пространства",
                 "Green courtyards between apartment blocks", 6.6, dt.date(2016, 4, 18)),
    DemoPractice("Mladost district", ("II",), "Онлайн консултации с живущите",
                 "Online consultations with residents", 6.0, dt.date(2016, 7, 25)),
]
# The winners' facts (demo_data/edition-bg-2016.json gives them in English), in Bulgarian:
# the same facts and figures, sentence by sentence, nothing added.
WINNER_FACTS_BG = {
    "Tundzha": [
        "Платформа, която обединява усилията на общностите от 44-те населени места в "
        "общината.",
        "Инициативата „Духът на моето село“ помага на читалищата да създадат или обогатят "
        "етнографски и краеведски сбирки.",
        "Младежка инициатива за озеленяване и поддържане на местата около военните "
        "паметници.",
        "„Заедно с община Тунджа“: открита покана с писани правила, чрез която общностите "
        "назовават проблемите си и сами ги решават с подкрепата на общината.",
        "Участваха над 30 населени места; подписани са споразумения за подкрепа на 41 "
        "инициативи на общностите на обща стойност 62 435 лв.",
    ],
    "Dobrich": [
        "През 2016 г. деца от два крайни квартала поискаха от кмета места за игра.",
        "Общината проектира пространствата между жилищните блокове и привлече две местни "
        "фирми („Есетере България“ ЕООД и „Клас Олио“ АД) да ги съфинансират.",
        "Жителите бяха консултирани; пространствата са проектирани според нуждите на "
        "децата, които ги ползват.",
    ],
    "Troyan": [
        "През 2016 г. е внедрен модул, който извлича данни от над 30 централни държавни "
        "регистъра, така че гражданите вече не представят данни, които регистрите съдържат.",
        "Във всички 21 кметства са инсталирани VPN устройства, които дават на отдалечените "
        "села деловодната система на общината, базата данни за населението, регистрите по "
        "гражданското състояние и ГИС.",
        "Жителите подават заявления и жалби в своето кметство, без да пътуват до града, и "
        "получават резултата по пощата, по електронна поща или както предпочетат.",
    ],
    "Plovdiv": [
        "Общината помага на своите училища да въведат безплатни облачни платформи (G Suite "
        "и Microsoft Office 365, на български език).",
        "Тя организира и съфинансира обучението на училищни екипи след информационни срещи "
        "и проучвания сред учителите и директорите.",
    ],
    "Veliko Tarnovo": [
        "Превенция на престъпността и по-малко социална изолация за възрастните и самотните "
        "хора.",
        "Карти на риска, регистри на самотните и трудноподвижните жители и на празните "
        "жилища, видеонаблюдение, доброволни отряди, гореща линия между кметствата.",
        "Кампанията „Внук под наем“, в която деца доброволци посещават възрастни хора и им "
        "помагат.",
        "Партньори: общината, областната дирекция на МВР, сдружението на кметовете "
        "„Янтра 2001“, сдружението на дарителите „Св. Иван Рилски“, пожарната безопасност, "
        "училища, пенсионерски клубове, фирми.",
        "Над 250 възрастни или самотни хора са обгрижени; престъпленията срещу възрастни "
        "хора намаляха, а разкриваемостта им се повиши.",
    ],
    "Svishtov": [
        "Открит през октомври 2016 г. в село Овча могила: първият кризисен център при "
        "пожари, бедствия и аварии в България.",
        "На пет до десет минути от пет отдалечени села; обслужва около 5000 души.",
        "Разполага с пожарен автомобил и линейка, двама шофьори, бивши пожарникари, и четири "
        "медицински сестри; финансира се чрез съчетаване на бюджетни и проектни средства и "
        "дарения.",
    ],
}
ILLUSTRATIVE_SUMMARY = ("Примерна практика, измислена за демонстрацията.",
                        "Illustrative entry made up for the demo.")
WINNER_QUALITY = {1: 9.0, 2: 8.3}
WINNER_IMPLEMENTED = {"Tundzha": dt.date(2016, 6, 1), "Dobrich": dt.date(2016, 9, 15),
                      "Troyan": dt.date(2016, 5, 20), "Plovdiv": dt.date(2016, 9, 1),
                      "Veliko Tarnovo": dt.date(2016, 3, 1), "Svishtov": dt.date(2016, 10, 1)}


def _sofia(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SOFIA)


def demo_load() -> dict:
    """Load (or complete) the demo; running it again changes nothing."""
    facts = json.loads((DATA / "edition-bg-2016.json").read_text(encoding="utf-8"))
    report = municipalities_import_csv(data=(DATA / "municipalities-bg.csv").read_bytes())
    if not report.ok:
        raise RuntimeError("; ".join(report.errors))
    with transaction.atomic():
        accounts = _accounts()
        edition = _published_edition(facts)
        _practices_and_sheets(edition, facts, accounts)
        _classification(edition, accounts["organiser"])
        _open_edition(edition, accounts)
        _published_ranking(edition, accounts["organiser"])
        _deliberation_demo(_rounds_edition(edition, accounts), accounts)
        _consents(accounts)
        _follow_ups_and_adoptions(edition, accounts)
    return {"municipalities": Municipality.objects.count(),
            "practices": Practice.objects.filter(entries__edition=edition).distinct().count(),
            "entries": edition.entries.count()}


def _accounts() -> dict[str, User]:
    found = {}
    for username, first, last, role, municipality_en in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last,
                        email=f"{username}@demo.example.org")
            if role == "organiser":
                user.is_staff = True
            if role == "officer":
                user.municipality = Municipality.objects.get(name_en=municipality_en)
                user.officer_status = OfficerStatus.APPROVED
            user.set_password(DEMO_PASSWORD)
            user.save()
        found[username] = user
    _demo_authenticator(found["organiser"])
    for username, first, last in EXTRA_JURORS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last,
                        email=f"{username}@demo.example.org")
            user.set_unusable_password()
            user.save()
        found[username] = user
    return found


def _consents(accounts: dict[str, User]) -> None:
    """The demo's officers agreed to the privacy notice when they registered, its jurors when
    they accepted the invitation (their account pages show it)."""
    notice = privacy_notice_current()
    for username, purpose, context in (
            ("officer", ConsentPurpose.REGISTRATION, ""),
            ("officer2", ConsentPurpose.REGISTRATION, ""),
            ("juror", ConsentPurpose.JURY, PUBLISHED_SLUG),
            ("juror2", ConsentPurpose.JURY, PUBLISHED_SLUG)):
        if not Consent.objects.filter(user=accounts[username], purpose=purpose).exists():
            consent_record(user=accounts[username], notice=notice, purpose=purpose,
                           context=context)


def _demo_authenticator(organiser: User) -> None:
    """The demo organiser's authenticator, with the published secret (kept if they set up
    another one themselves)."""
    if not TOTPDevice.objects.filter(user=organiser, confirmed=True).exists():
        TOTPDevice.objects.create(user=organiser, name=DEVICE_NAME, key=DEMO_TOTP_KEY,
                                  confirmed=True)


def demo_totp_secret() -> str:
    """The demo organiser's secret as authenticator apps take it typed in."""
    return secret_text(TOTPDevice(key=DEMO_TOTP_KEY))


def demo_totp_code() -> str:
    """The code the demo organiser's authenticator app shows now."""
    device = TOTPDevice(key=DEMO_TOTP_KEY)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    return f"{totp.token():0{device.digits}d}"


def _published_edition(facts: dict) -> Edition:
    info = facts["edition"]
    edition = Edition.objects.filter(slug=PUBLISHED_SLUG).first()
    if edition is None:
        edition = Edition(
            slug=PUBLISHED_SLUG, title=info["title_bg"], title_en=info["title_en"],
            country=info["country"], language="bg", year_label="2016/2017",
            call_text=("Общините представят нови практики, приложени през последните 18 месеца, "
                       "или устойчиви практики, съществено надградени през този период."),
            call_text_en=info["eligibility_rule_en"],
            phase=Phase.PUBLISHED,
            submissions_open_at=_sofia(2016, 10, 17, 10, 0),
            submissions_close_at=_sofia(2016, 12, 15, 17, 30),
            review_open_at=_sofia(2017, 1, 16, 9, 0),
            review_close_at=_sofia(2017, 3, 31, 17, 0),
            results_at=_sofia(2017, 5, 18, 11, 0),
            eligibility_months=info["eligibility_months"],
            max_entries_per_area=info["max_entries_per_municipality_per_area"],
            scale_min=0, scale_max=10, min_sheets_per_entry=3)
        edition.full_clean()
        edition.save()
    for order, area in enumerate(facts["thematic_areas"], start=1):
        ThematicArea.objects.get_or_create(
            edition=edition, code=area["code"],
            defaults={"title": area["title_bg"], "title_en": area["title_en"], "order": order,
                      "awards": 2})
    for criterion_facts in facts["criteria"]:
        guidance, guidance_en = CRITERIA_TEXT[criterion_facts["order"]]
        criterion, created = Criterion.objects.get_or_create(
            edition=edition, order=criterion_facts["order"],
            defaults={"title": criterion_facts["title_bg"],
                      "title_en": criterion_facts["title_en"], "weight": Decimal(1),
                      "guidance": guidance, "guidance_en": guidance_en})
        if created:
            RubricLevel.objects.bulk_create(
                RubricLevel(criterion=criterion, score=score, description=text,
                            description_en=text_en) for score, text, text_en in RUBRIC)
    return edition


def _practices_and_sheets(edition: Edition, facts: dict, accounts: dict[str, User]) -> None:
    areas = {area.code: area for area in edition.areas.all()}
    municipalities = {m.name_en: m for m in Municipality.objects.filter(
        name_en__in={w["municipality_en"] for w in facts["winners"]}
        | {p.municipality_en for p in ILLUSTRATIVE})}
    planned: list[DemoPractice] = []
    # title_en -> (summary, summary_en): a winner's summary is its facts, in each language.
    summaries: dict[str, tuple[str, str]] = {}
    for winner in facts["winners"]:
        planned.append(DemoPractice(
            winner["municipality_en"], (winner["area"],), winner["title_bg"], winner["title_en"],
            WINNER_QUALITY[winner["place"]], WINNER_IMPLEMENTED[winner["municipality_en"]]))
        summaries[winner["title_en"]] = ("\n".join(WINNER_FACTS_BG[winner["municipality_en"]]),
                                         "\n".join(winner["facts_en"]))
    planned.extend(ILLUSTRATIVE)

    organiser = accounts["organiser"]
    entries: list[tuple[Entry, float]] = []
    for item in planned:
        municipality = municipalities[item.municipality_en]
        summary, summary_en = summaries.get(item.title_en, ILLUSTRATIVE_SUMMARY)
        illustrative = item.title_en not in summaries
        practice, _created = Practice.objects.get_or_create(
            municipality=municipality, title=item.title,
            defaults={"title_en": item.title_en, "summary": summary, "summary_en": summary_en,
                      "implemented_on": item.implemented_on,
                      "started_on": item.implemented_on - dt.timedelta(days=90),
                      "is_illustrative": illustrative,
                      "contact_name": "", "partners": ""})
        _complete_in_bulgarian(practice, summary, summary_en)
        for code in item.areas:
            entry, _created = Entry.objects.get_or_create(
                practice=practice, area=areas[code],
                defaults={"edition": edition, "status": EntryStatus.ELIGIBLE,
                          "submitted_at": edition.submissions_close_at - dt.timedelta(days=3),
                          "eligibility_decided_by": organiser,
                          "eligibility_decided_at": edition.review_open_at
                          - dt.timedelta(days=5)})
            entries.append((entry, item.quality))

    jurors = [accounts[name] for name in JUROR_BIAS]
    for juror in jurors:
        member, _created = JuryMember.objects.get_or_create(
            edition=edition, user=juror,
            defaults={"invited_by": organiser, "accepted_at": edition.review_open_at,
                      "declaration_version": "2016-10-01",
                      "declared_at": edition.review_open_at})
    criteria = list(edition.criteria.order_by("order"))
    if JurySheet.objects.filter(entry__edition=edition).exists():
        return  # sheets are loaded once, all together
    recusal = (entries[6][0], accounts["juror3"])  # a conflict of interest, for the record
    submitted_at = edition.review_close_at - dt.timedelta(days=2)
    for entry, quality in entries:
        for juror in jurors:
            Assignment.objects.create(entry=entry, juror=juror, assigned_by=organiser)
            if (entry, juror) == recusal:
                JurySheet.objects.create(
                    entry=entry, juror=juror, status=SheetStatus.SUBMITTED, recused=True,
                    recusal_reason="Worked as a consultant for this municipality in 2016.",
                    submitted_at=submitted_at)
                continue
            sheet = JurySheet.objects.create(entry=entry, juror=juror,
                                             status=SheetStatus.SUBMITTED,
                                             submitted_at=submitted_at)
            SheetScore.objects.bulk_create(
                SheetScore(sheet=sheet, criterion=criterion,
                           value=demo_score(f"{entry.practice.title_en}/{entry.area.code}",
                                            juror.username, criterion.order, quality))
                for criterion in criteria)


# The organiser's list of topics: (slug, Bulgarian, English).
DEMO_TOPICS = [
    ("social-care", "Социални грижи", "Social care"),
    ("children-youth", "Деца и младежи", "Children and young people"),
    ("education", "Образование", "Education"),
    ("digital-services", "Цифрови услуги", "Digital services"),
    ("participation", "Гражданско участие", "Participation"),
    ("environment", "Околна среда", "Environment"),
    ("employment", "Заетост", "Employment"),
    ("transparency", "Прозрачност и отворени данни", "Transparency and open data"),
]
TROYAN_KEY = ("One-stop administrative service, RegiX register data exchange and VPN links "
              "to mayoralties")
SRV, PRC, ORG, COM = (InnovationType.SERVICE, InnovationType.PROCESS, InnovationType.ORGANISATIONAL,
              InnovationType.COMMUNICATION)
# The kind of innovation and the topics of each demo practice, by its English title.
DEMO_CLASSIFICATION = {
    "With Tundzha at Heart": (COM, ["participation", "social-care"]),
    "Together We Make Children's Dreams Come True": (ORG, ["children-youth", "participation"]),
    TROYAN_KEY: (PRC, ["digital-services"]),
    "Helping municipal schools adopt new educational technology and digitise teaching": (
        SRV, ["education", "digital-services"]),
    "Caring for Older People": (SRV, ["social-care"]),
    "Crisis Centre at the Ovcha Mogila Mayoralty": (SRV, ["social-care", "children-youth"]),
    "Social catering for small villages": (SRV, ["social-care"]),
    "Online kindergarten enrolment": (PRC, ["digital-services", "children-youth"]),
    "Community centres as hubs for local initiatives": (ORG, ["participation"]),
    "Youth volunteering centre": (ORG, ["children-youth", "participation"]),
    "Municipal open data portal": (COM, ["transparency", "digital-services"]),
    "Smart street lighting with residents' reports": (PRC, ["digital-services",
                                                          "environment"]),
    "Participatory budget": (PRC, ["participation", "transparency"]),
    "Day centre for children with disabilities": (SRV, ["social-care", "children-youth"]),
    "Mobile app for residents' reports": (COM, ["digital-services", "participation"]),
    "Small grants for civic projects": (ORG, ["participation"]),
    "E-services for people with disabilities": (SRV, ["digital-services", "social-care"]),
    "A social enterprise for urban greening": (ORG, ["environment", "employment"]),
    "Volunteers for a clean environment": (COM, ["environment", "participation"]),
    "A GIS for spatial planning": (PRC, ["digital-services", "transparency"]),
    "Home care for older people in mountain villages": (SRV, ["social-care"]),
    "A public council on the urban environment": (ORG, ["participation", "environment"]),
    "Online payment of local taxes and fees": (SRV, ["digital-services"]),
    "A partnership with business for youth employment": (ORG, ["employment",
                                                             "children-youth"]),
    "Students' ideas for the city": (COM, ["participation", "children-youth"]),
    "A community support centre": (SRV, ["social-care"]),
    "Electronic document management": (PRC, ["digital-services"]),
    "Green courtyards between apartment blocks": (ORG, ["environment", "participation"]),
    "Online consultations with residents": (COM, ["participation", "digital-services"]),
}
# What an officer chose where the organiser corrected it (DEMO_CLASSIFICATION is the
# checked classification).
OFFICER_CHOICE = {TROYAN_KEY: (SRV, ["digital-services", "transparency"])}


def _classification(edition: Edition, organiser: User) -> None:
    """The topics list, and each demo practice's kind and topics as its officer chose them;
    the organiser has checked the winners' (and corrected one). Nothing changes once done."""
    topics = {}
    for order, (slug, name, name_en) in enumerate(DEMO_TOPICS):
        topic = Topic.objects.filter(slug=slug).first()
        topics[slug] = topic or topic_save(by=organiser, data={
            "slug": slug, "name": name, "name_en": name_en, "order": order})
    practices = Practice.objects.filter(entries__edition=edition).distinct()
    for practice in practices:
        kind, slugs = OFFICER_CHOICE.get(practice.title_en) or DEMO_CLASSIFICATION.get(
            practice.title_en, (SRV, ["social-care"]))
        if not practice.innovation_type:
            Practice.objects.filter(pk=practice.pk).update(innovation_type=kind)
            practice.topics.set([topics[slug] for slug in slugs])
    for winner in Practice.objects.filter(
            entries__edition=edition, is_illustrative=False).distinct().order_by("pk"):
        if winner.classification_checks.exists():
            continue
        kind, slugs = DEMO_CLASSIFICATION.get(winner.title_en, (SRV, ["social-care"]))
        practice_classification_check(practice=winner, by=organiser, innovation_type=kind,
                                      topics=[topics[slug] for slug in slugs])


def _complete_in_bulgarian(practice: Practice, summary: str, summary_en: str) -> None:
    """A demo loaded before the practices read in Bulgarian: fill their empty Bulgarian
    summary, and move the English facts out of the Bulgarian `results` field (where an
    earlier demo put them) into the English summary. Nothing changes once done."""
    changed = []
    if not practice.summary:
        practice.summary = summary
        changed.append("summary")
    if practice.results and practice.results == summary_en:
        practice.results = ""
        practice.summary_en = summary_en
        changed += ["results", "summary_en"]
    if changed:
        practice.save(update_fields=changed)


def _published_ranking(edition: Edition, organiser: User) -> RankingRun:
    """The edition's published run: a weighted_mean run computed from the demo sheets and
    published, unless one is published already (then nothing changes)."""
    published = RankingRun.objects.filter(edition=edition, is_published=True).first()
    if published is not None:
        return published
    run = ranking_run_execute(run_id=ranking_run_create(
        edition=edition, method=RankingMethod.WEIGHTED_MEAN, by=organiser).pk)
    if run.status != RunStatus.SUCCEEDED:
        raise RuntimeError(f"the demo ranking failed: {run.error}")
    return ranking_run_publish(run=run, by=organiser, notify=False)


def _follow_ups_and_adoptions(edition: Edition, accounts: dict[str, User]) -> None:
    """Illustrative practices only (never a real winner): Tundzha's catering has an approved
    follow-up report on its public page and an adoption by Troyan; Dobrich's enrolment is
    asked for its report (officer2 writes it)."""
    catering = Practice.objects.filter(title_en="Social catering for small villages",
                                       is_illustrative=True, entries__edition=edition).first()
    enrolment = Practice.objects.filter(title_en="Online kindergarten enrolment",
                                        is_illustrative=True, entries__edition=edition).first()
    published = RankingRun.objects.filter(edition=edition, is_published=True).first()
    if catering is None or enrolment is None or published is None:
        return
    due_on = (timezone.localdate() if published.published_at is None
              else edition.local(published.published_at).date())
    FollowUpReport.objects.get_or_create(
        practice=catering, edition=edition, months=12, defaults={
            "due_on": due_on, "status": FollowUpStatus.APPROVED,
            "state": PracticeState.EXTENDED, "submitted_by": accounts["officer"],
            "submitted_at": timezone.now(), "decided_by": accounts["organiser"],
            "decided_at": timezone.now(),
            "figures": "14 села вместо 9; 380 възрастни хора получават обяд всеки ден.",
            "text": "Патронажът продължи и след края на проекта, с общински средства, и "
                    "обхвана още пет села. (Пример за демонстрацията.)"})
    FollowUpReport.objects.get_or_create(
        practice=enrolment, edition=edition, months=12,
        defaults={"due_on": due_on, "status": FollowUpStatus.REQUESTED})
    troyan = Municipality.objects.filter(name_en="Troyan").first()
    if troyan is not None:
        Adoption.objects.get_or_create(
            practice=catering, municipality=troyan, defaults={
                "kind": AdoptionKind.ADAPTED, "adopted_on": due_on,
                "note": "Обядите се доставят от местното читалище. (Пример за "
                        "демонстрацията.)"})


def demo_score(entry_key: str, juror: str, criterion_order: int, quality: float) -> int:
    """A juror's made-up score: the entry's quality, the juror's leniency, a little noise."""
    noise = random.Random(f"{entry_key}/{juror}/{criterion_order}").uniform(-0.6, 0.6)
    tilt = (-0.2, 0.1, 0.2, -0.1)[(criterion_order - 1) % 4]
    return max(0, min(10, round(quality + JUROR_BIAS[juror] + tilt + noise)))


def _open_edition(published: Edition, accounts: dict[str, User]) -> Edition:
    """An edition open for submissions now, so that every journey has something to do."""
    edition = Edition.objects.filter(slug=OPEN_SLUG).first()
    now = timezone.now().astimezone(SOFIA).replace(minute=0, second=0, microsecond=0)
    if edition is None:
        edition = edition_copy(edition=published, slug=OPEN_SLUG,
                               title="Програма за най-добри практики: отворена покана (демо)",
                               title_en="Best Practices Programme: open call (demo)",
                               shift_years=0)
    if edition.phase != Phase.OPEN or edition.submissions_close_at <= timezone.now():
        # The deadline stays in the future whenever the demo is loaded again; the phase moves
        # only through the lifecycle service (back from review if the dates had moved it on).
        close = (now + dt.timedelta(days=45)).replace(hour=17)
        if edition.phase == Phase.REVIEW:
            edition_phase_change(edition=edition, to=Phase.OPEN, by=accounts["organiser"],
                                 reason="The demo was loaded again.", new_date=close)
        edition.year_label = "demo"
        edition.submissions_open_at = now - dt.timedelta(days=14)
        edition.submissions_close_at = close
        edition.review_open_at = edition.submissions_close_at + dt.timedelta(days=7)
        edition.review_close_at = edition.review_open_at + dt.timedelta(days=60)
        edition.results_at = edition.review_close_at + dt.timedelta(days=30)
        edition.full_clean()
        edition.save()
        if edition.phase == Phase.DRAFT:
            edition_phase_change(edition=edition, to=Phase.OPEN, by=accounts["organiser"])
    # juror2 declared an affiliation with Dobrich's region: the conflict rule keeps its
    # municipalities' entries from them.
    affiliations = {"juror": {}, "juror2": {
        "affiliated_region": accounts["officer2"].municipality.region,
        "affiliated_organisation": "Сдружение за регионално развитие"}}
    for username in ("juror", "juror2"):
        JuryMember.objects.get_or_create(edition=edition, user=accounts[username],
                                         defaults={"invited_by": accounts["organiser"],
                                                   "accepted_at": timezone.now(),
                                                   "declaration_version":
                                                       settings.JURY_DECLARATION_VERSION,
                                                   "declared_at": timezone.now(),
                                                   **affiliations[username]})
    Practice.objects.get_or_create(
        municipality=accounts["officer"].municipality, title="Библиотека на открито",
        defaults={"title_en": "An open-air library", "summary": "Чернова, готова за участие.",
                  "summary_en": "A draft, ready to enter.",
                  "implemented_on": timezone.localdate() - dt.timedelta(days=120),
                  "is_illustrative": True, "created_by": accounts["officer"]})
    return edition


def _rounds_edition(published: Edition, accounts: dict[str, User]) -> Edition:
    """A two-round edition to try the rounds on: the published edition's set-up and the
    first practices of each area again (as practices of their own); round 1 scored by the
    five demo jurors and closed ten days ago, its ranking computed (the first area's first
    two places a near tie, flagged indistinguishable); round 2 open for a month.
    The organiser shortlists each area (the rounds page),
    assigns the area's panel, and the jurors score round 2. Made
    once: loading the demo again leaves it as the walker left it."""
    edition = Edition.objects.filter(slug=ROUNDS_SLUG).first()
    if edition is not None:
        return edition
    organiser = accounts["organiser"]
    now = timezone.now().astimezone(SOFIA).replace(minute=0, second=0, microsecond=0)
    edition = edition_copy(edition=published, slug=ROUNDS_SLUG,
                           title="Програма за най-добри практики: два кръга (демо)",
                           title_en="Best Practices Programme: two judging rounds (demo)",
                           shift_years=0)
    edition.year_label = "demo"
    edition.submissions_open_at = now - dt.timedelta(days=90)
    edition.submissions_close_at = now - dt.timedelta(days=60)
    edition.review_open_at = now - dt.timedelta(days=59)
    edition.review_close_at = now - dt.timedelta(days=10)
    edition.results_at = None
    edition.full_clean()
    edition.save()
    edition_phase_change(edition=edition, to=Phase.OPEN, at=edition.submissions_open_at)
    areas = {area.code: area for area in edition.areas.all()}
    entries = []
    for code, area in areas.items():
        chosen = (Entry.objects.filter(edition=published, area__code=code)
                  .select_related("practice").order_by("practice__title_en", "pk")
                  [:ROUNDS_ENTRIES_PER_AREA])
        for source in chosen:
            # a practice of its own (the 2016 edition's practices keep their entries)
            practice = Practice.objects.create(
                municipality=source.practice.municipality,
                title=f"{source.practice.title} (втори кръг)",
                title_en=f"{source.practice.title_en} (two rounds)",
                summary=source.practice.summary, summary_en=source.practice.summary_en,
                implemented_on=now.date() - dt.timedelta(days=200), is_illustrative=True,
                created_by=organiser)
            entries.append(Entry.objects.create(
                practice=practice, area=area, edition=edition,
                status=EntryStatus.ELIGIBLE,
                submitted_at=edition.submissions_close_at - dt.timedelta(days=3),
                eligibility_decided_by=organiser,
                eligibility_decided_at=edition.review_open_at - dt.timedelta(days=1)))
    edition_phase_change(edition=edition, to=Phase.REVIEW, at=edition.review_open_at)
    jurors = [accounts[name] for name in JUROR_BIAS]
    for juror in jurors:
        JuryMember.objects.create(edition=edition, user=juror, invited_by=organiser,
                                  accepted_at=edition.review_open_at,
                                  declaration_version=settings.JURY_DECLARATION_VERSION,
                                  declared_at=edition.review_open_at)
    criteria = list(edition.criteria.order_by("order"))
    first = edition.rounds.get(number=1)
    submitted_at = edition.review_close_at - dt.timedelta(days=2)
    tied = min(areas.values(), key=lambda area: (area.order, area.code))
    for position, entry in enumerate(entries):
        step = position % ROUNDS_ENTRIES_PER_AREA
        # well apart, except the first area's first two: a near tie the statistics flag
        # as indistinguishable, so its chair must justify the order of the two places
        quality = 8.45 if (entry.area_id, step) == (tied.pk, 1) else 8.5 - step * 0.6
        for juror in jurors:
            Assignment.objects.create(entry=entry, juror=juror, assigned_by=organiser,
                                      round=first)
            sheet = JurySheet.objects.create(entry=entry, juror=juror, round=first,
                                             status=SheetStatus.SUBMITTED,
                                             submitted_at=submitted_at)
            SheetScore.objects.bulk_create(
                SheetScore(sheet=sheet, criterion=criterion,
                           value=demo_score(f"rounds/{entry.practice.title_en}/{entry.area.code}",
                                            juror.username,
                                            criterion.order, quality))
                for criterion in criteria)
    round_add(edition=edition, review_open_at=now - dt.timedelta(days=1),
              review_close_at=now + dt.timedelta(days=30), by=organiser, shortlist_top_n=3)
    # round 1's ranking, computed (not published) once round 2 exists (else the edition,
    # its review over, would move on to "ranked"): the shortlist and the panel's decision
    # read it; the walker may compute another with another method
    run = ranking_run_execute(run_id=ranking_run_create(
        edition=edition, method=RankingMethod.WEIGHTED_MEAN, by=organiser,
        judging_round=first).pk)
    if run.status != RunStatus.SUCCEEDED:
        raise RuntimeError(f"the demo's round 1 ranking failed: {run.error}")
    return edition


def _deliberation_demo(edition: Edition, accounts: dict[str, User]) -> None:
    """The two-round demo edition's panels: `juror` chairs every area, and the panel of
    round 1 (closed) has begun to discuss area I. The walker opens the panel as `juror` (the
    jury dashboard, "Your panels") and drafts the area's decision there, with the
    statistics' evidence. Made once."""
    from deliberation.models import AreaChair, PanelComment
    from deliberation.services import area_chair_appoint

    areas = list(edition.areas.order_by("order", "code"))
    if AreaChair.objects.filter(area__in=areas).exists():
        return
    for area in areas:
        area_chair_appoint(area=area, user=accounts["juror"], by=accounts["organiser"])
    first = edition.rounds.get(number=1)
    entries = list(Entry.objects.filter(edition=edition, area=areas[0])
                   .select_related("practice").order_by("practice__title_en", "pk")[:2])
    remarks = [("juror2", "Резултатите са измерени и публикувани; силна кандидатура.",
                "Results measured and published; a strong entry."),
               ("juror3", "Близо до следващата: да обсъдим устойчивостта.",
                "Close to the next one: let us discuss sustainability.")]
    for entry in entries:
        for username, text_bg, text_en in remarks:
            PanelComment.objects.create(entry=entry, round=first, author=accounts[username],
                                        body=f"{text_bg}\n{text_en}")
