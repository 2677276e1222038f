"""Realistic, fictional demo data, created through the same services people use.

Every name, address and number here is invented. NHS numbers are generated with a valid
check digit from the 999 range, which the NHS never issues.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from caseledger.accounts.models import Organisation, Team, TeamMembership, User
from caseledger.actions.models import Party
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.case_audits import services as audit_services
from caseledger.case_audits.models import Grade
from caseledger.cases.models import AccessGrant, Case, CaseType
from caseledger.cases.services import allocate_case, close_case, grant_access
from caseledger.demo import files
from caseledger.domain.identifiers import nhs_number_check_digit, upn_check_letter
from caseledger.domain.promise_dates import date_from_words
from caseledger.ehcp.models import EhcpStatus, PlanKind
from caseledger.ehcp.services import add_plan_version, change_status, confirm_plan_sections
from caseledger.ledger.interactions import InteractionContent, record_interaction
from caseledger.ledger.models import Channel, ContactType, Entry, Tag
from caseledger.ledger.services import (
    ChildVisit,
    NoteContent,
    add_correction,
    finalise_note,
    start_draft,
)
from caseledger.passports.services import Part, PassportContent, agree_version
from caseledger.people.models import Child, RelatedAdult
from caseledger.people.services import add_adult, add_professional, create_child
from caseledger.provision import services as provision
from caseledger.provision.models import Intervention, InterventionGroup, MeasureScale
from caseledger.sen.classes import add_school_class
from caseledger.sen.parents import give_parent_access
from caseledger.sen.services import Needs, add_to_register, remove_from_register
from caseledger.support_plans import services as plans
from caseledger.support_plans.models import Rating
from caseledger.vault.models import DocumentCategory
from caseledger.vault.services import DocumentDetails, store_document
from caseledger.workdays.calendar import working_days

DEMO_PASSWORD = "caseledger-demo"


@dataclass(frozen=True)
class DemoLogin:
    persona: str
    email: str


# The logins `make run` prints and README lists, one per persona the service is built for.
DEMO_LOGINS = [
    DemoLogin("Social worker (Northmoor)", "amira.khan@northmoor.example"),
    DemoLogin("Team manager (Northmoor)", "dan.okafor@northmoor.example"),
    DemoLogin("Organisation admin (Northmoor)", "priya.shah@northmoor.example"),
    DemoLogin("SENCO (Riverside Primary)", "helen.price@riverside.example"),
    DemoLogin("Teacher (Riverside Primary)", "tom.barnes@riverside.example"),
    DemoLogin("Parent (Morgan family)", "jo.morgan@family.example"),
    DemoLogin("Advocate (SEND Voices)", "ruth.ellis@sendvoices.example"),
]


def demo_is_loaded() -> bool:
    return User.objects.filter(email=DEMO_LOGINS[0].email).exists()


def demo_nhs_number(serial: int) -> str:
    """A valid NHS number in the 999 range (never issued) for demo and test data."""
    while True:
        first_nine = f"999{serial % 1_000_000:06d}"
        check = nhs_number_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"
        serial += 1


def demo_upn(serial: int) -> str:
    """A valid UPN for LA code 999 (not a real authority)."""
    body = f"999{serial % 1_000_000_000:09d}"
    return upn_check_letter(body) + body


class _Builder:
    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.users: dict[str, User] = {}
        self.serial = 1000

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def born(self, years: int, days: int = 0) -> date:
        return self.today - timedelta(days=int(years * 365.25) + days)

    def organisation(self, name: str, kind: str, prefix: str) -> Organisation:
        return Organisation.objects.create(name=name, kind=kind, reference_prefix=prefix)

    def user(self, organisation: Organisation, email: str, name: str, role: str) -> User:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, full_name=name, organisation=organisation, role=role
        )
        self.users[email] = user
        return user

    def team(
        self, organisation: Organisation, name: str, manager: User, workers: list[User]
    ) -> Team:
        team = Team.objects.create(organisation=organisation, name=name)
        TeamMembership.objects.create(team=team, user=manager, is_manager=True)
        for worker in workers:
            TeamMembership.objects.create(team=team, user=worker)
        return team

    def child(
        self,
        actor: User,
        first: str,
        last: str,
        born: date,
        gender: str,
        case_type: str,
        opened_days_ago: int,
        *,
        preferred: str = "",
        sibling: Child | None = None,
        address: tuple[str, str, str] = ("", "", ""),
        with_upn: bool = False,
    ) -> tuple[Child, Case]:
        self.serial += 10
        return create_child(
            actor=actor,
            fields={
                "first_names": first,
                "last_name": last,
                "preferred_name": preferred,
                "date_of_birth": born,
                "gender": gender,
                "upn": demo_upn(self.serial) if with_upn else "",
                "nhs_number": demo_nhs_number(self.serial),
                "local_person_id": f"LP{self.serial:06d}",
                "address_line_1": address[0],
                "address_line_2": "",
                "town": address[1],
                "postcode": address[2],
            },
            case_type=case_type,
            opened_on=self.days_ago(opened_days_ago),
            sibling=sibling,
        )

    def adult(
        self,
        actor: User,
        child: Child,
        name: str,
        relationship: str,
        pr: bool,
        lives: bool,
        phone: str = "",
    ) -> None:
        add_adult(
            actor=actor,
            child=child,
            fields={
                "full_name": name,
                "relationship": relationship,
                "has_parental_responsibility": pr,
                "lives_with_child": lives,
                "phone": phone,
                "email": "",
            },
        )

    def professional(
        self, actor: User, child: Child, name: str, role: str, organisation: str
    ) -> None:
        add_professional(
            actor=actor,
            child=child,
            fields={
                "full_name": name,
                "role": role,
                "organisation_name": organisation,
                "phone": "",
                "email": "",
            },
        )


def load_demo() -> None:
    """Create the demo organisations, people, children and cases (once; see `demo_is_loaded`)."""
    b = _Builder()
    female, male = Child.Gender.FEMALE, Child.Gender.MALE
    relationship = RelatedAdult.Relationship
    with transaction.atomic():
        # --- Northmoor Borough Council -------------------------------------------------------
        northmoor = b.organisation(
            "Northmoor Borough Council", Organisation.Kind.LOCAL_AUTHORITY, "NMB"
        )
        amira = b.user(
            northmoor, "amira.khan@northmoor.example", "Amira Khan", User.Role.SOCIAL_WORKER
        )
        lewis = b.user(
            northmoor, "lewis.grant@northmoor.example", "Lewis Grant", User.Role.SOCIAL_WORKER
        )
        dan = b.user(
            northmoor, "dan.okafor@northmoor.example", "Dan Okafor", User.Role.TEAM_MANAGER
        )
        b.user(
            northmoor, "priya.shah@northmoor.example", "Priya Shah", User.Role.ORGANISATION_ADMIN
        )
        ben = b.user(
            northmoor, "ben.carter@northmoor.example", "Ben Carter", User.Role.EARLY_HELP_WORKER
        )
        grace = b.user(
            northmoor, "grace.adeyemi@northmoor.example", "Grace Adeyemi", User.Role.TEAM_MANAGER
        )
        chloe = b.user(
            northmoor, "chloe.evans@northmoor.example", "Chloe Evans", User.Role.SOCIAL_WORKER
        )
        fatima = b.user(
            northmoor, "fatima.noor@northmoor.example", "Fatima Noor", User.Role.TEAM_MANAGER
        )
        cin_north = b.team(northmoor, "Children in Need Team North", dan, [amira, lewis])
        b.team(northmoor, "Early Help Team", grace, [ben])
        b.team(northmoor, "Children Looked After Team", fatima, [chloe])

        walker_address = ("14 Larch Close", "Northmoor", "NM4 7QT")
        kayden, _ = b.child(
            amira,
            "Kayden James",
            "Walker",
            b.born(9, 40),
            male,
            CaseType.CHILD_IN_NEED,
            120,
            address=walker_address,
            with_upn=True,
        )
        lily, _ = b.child(
            amira,
            "Lily-Mae",
            "Walker",
            b.born(6, 100),
            female,
            CaseType.CHILD_IN_NEED,
            120,
            sibling=kayden,
            address=walker_address,
            with_upn=True,
        )
        noah, noah_case = b.child(
            amira,
            "Noah",
            "Walker",
            b.born(3, 12),
            male,
            CaseType.CHILD_PROTECTION,
            60,
            sibling=kayden,
            address=walker_address,
        )
        allocate_case(actor=dan, case=noah_case, team=cin_north, worker=lewis, manager=dan)
        for sibling, recorder in ((kayden, amira), (lily, amira), (noah, lewis)):
            b.adult(
                recorder, sibling, "Stacey Walker", relationship.MOTHER, True, True, "07700 900123"
            )
            b.adult(recorder, sibling, "Ryan Doyle", relationship.PARTNER_OF_PARENT, False, True)
            b.adult(recorder, sibling, "Darren Walker", relationship.FATHER, True, False)
        b.professional(lewis, noah, "Helen Marsh", "Health visitor", "Northmoor Community Health")
        b.professional(amira, kayden, "Mr P. Adams", "Class teacher", "Northmoor Primary School")

        jayden, jayden_case = b.child(
            amira,
            "Jayden",
            "Osei",
            b.born(14, 200),
            male,
            CaseType.CHILD_PROTECTION,
            200,
            address=("3 Mill Street", "Northmoor", "NM2 1AB"),
            with_upn=True,
        )
        b.adult(amira, jayden, "Abena Osei", relationship.MOTHER, True, True)
        b.professional(amira, jayden, "PC Sarah Lane", "Police liaison officer", "Northmoor Police")
        freddie_la, freddie_la_case = b.child(
            amira,
            "Frederick",
            "Morgan",
            b.born(8, 77),
            male,
            CaseType.CHILD_IN_NEED,
            45,
            preferred="Freddie",
            address=("22 Orchard Way", "Northmoor", "NM6 2LP"),
        )
        b.adult(amira, freddie_la, "Jo Morgan", relationship.MOTHER, True, True)
        _ruby, ruby_case = b.child(
            lewis, "Ruby", "Clarke", b.born(5, 30), female, CaseType.CHILD_IN_NEED, 400
        )
        close_case(
            actor=lewis,
            case=ruby_case,
            closed_on=b.days_ago(30),
            reason="Needs met through early help; family agreed step-down",
        )
        b.child(
            dan, "Ethan", "Brooks", b.born(12, 150), male, CaseType.CHILD_IN_NEED, 3
        )  # waiting for a worker
        b.child(
            dan, "Sienna", "Price", b.born(10, 10), female, CaseType.CHILD_IN_NEED, 6
        )  # waiting for a worker
        maya, maya_case = b.child(
            chloe,
            "Maya",
            "Thompson",
            b.born(11, 60),
            female,
            CaseType.LOOKED_AFTER,
            700,
            with_upn=True,
        )
        b.adult(chloe, maya, "Karen and Phil Hart", relationship.FOSTER_CARER, False, True)
        b.child(ben, "Oliver", "Hughes", b.born(7, 5), male, CaseType.EARLY_HELP, 30)
        b.child(ben, "Zara", "Ahmed", b.born(15, 90), female, CaseType.EARLY_HELP, 75)

        # --- Eastvale County Council: another authority that must never see Northmoor's work --
        eastvale = b.organisation(
            "Eastvale County Council", Organisation.Kind.LOCAL_AUTHORITY, "EVC"
        )
        sofia = b.user(
            eastvale, "sofia.ricci@eastvale.example", "Sofia Ricci", User.Role.SOCIAL_WORKER
        )
        mark = b.user(eastvale, "mark.ellis@eastvale.example", "Mark Ellis", User.Role.TEAM_MANAGER)
        b.team(eastvale, "Assessment Team", mark, [sofia])
        b.child(sofia, "Harvey", "Mills", b.born(10, 20), male, CaseType.CHILD_IN_NEED, 50)

        # --- Riverside Primary School -----------------------------------------------------------
        riverside = b.organisation("Riverside Primary School", Organisation.Kind.SCHOOL, "RPS")
        helen = b.user(riverside, "helen.price@riverside.example", "Helen Price", User.Role.SENCO)
        tom = b.user(riverside, "tom.barnes@riverside.example", "Tom Barnes", User.Role.TEACHER)
        sen_team = b.team(riverside, "SEN team", helen, [tom])
        pupils: list[Child] = []
        for first, last, years, gender, preferred in [
            ("Frederick", "Morgan", 8, male, "Freddie"),
            ("Isla", "Bennett", 9, female, ""),
            ("Leo", "Fraser", 6, male, ""),
            ("Amara", "Nwosu", 10, female, ""),
        ]:
            pupil, pupil_case = b.child(
                helen,
                first,
                last,
                b.born(years, 33),
                gender,
                CaseType.SEN_SUPPORT,
                250,
                preferred=preferred,
                with_upn=True,
            )
            pupils.append(pupil)
            if last in {"Morgan", "Fraser"}:
                allocate_case(
                    actor=helen, case=pupil_case, team=sen_team, worker=tom, manager=helen
                )
            b.professional(
                helen,
                pupil,
                "Dr Nia Roberts",
                "Educational psychologist",
                "Northmoor Educational Psychology Service",
            )

        _demo_sen_register(b, helen, pupils)

        # --- Families and their advocate -------------------------------------------------------
        morgans = b.organisation("The Morgan family", Organisation.Kind.FAMILY, "MORGAN")
        jo = b.user(morgans, "jo.morgan@family.example", "Jo Morgan", User.Role.PARENT)
        freddie, freddie_case = b.child(
            jo,
            "Frederick",
            "Morgan",
            b.born(8, 77),
            male,
            CaseType.EHCP_TRACKING,
            90,
            preferred="Freddie",
        )
        b.child(
            jo,
            "Poppy",
            "Morgan",
            b.born(4, 200),
            female,
            CaseType.EHCP_TRACKING,
            20,
            sibling=freddie,
        )
        b.adult(jo, freddie, "Jo Morgan", relationship.MOTHER, True, True)
        b.professional(
            jo,
            freddie,
            "Priti Desai",
            "Speech and language therapist",
            "Northmoor Children's Therapies",
        )
        patels = b.organisation("The Patel family", Organisation.Kind.FAMILY, "PATEL")
        anil = b.user(patels, "anil.patel@family.example", "Anil Patel", User.Role.PARENT)
        # Opened before the plan was issued (330 days ago): a status change cannot predate
        # the case it is on.
        _aarav, aarav_case = b.child(
            anil, "Aarav", "Patel", b.born(12, 4), male, CaseType.EHCP_TRACKING, 400
        )

        advocacy = b.organisation("SEND Voices Advocacy", Organisation.Kind.ADVOCACY, "SVA")
        ruth = b.user(advocacy, "ruth.ellis@sendvoices.example", "Ruth Ellis", User.Role.ADVOCATE)
        grant_access(
            actor=jo,
            case=freddie_case,
            grantee_email=ruth.email,
            kind=AccessGrant.Kind.ADVOCATE,
            expires_on=None,
        )
        grant_access(
            actor=amira,
            case=freddie_la_case,
            grantee_email=jo.email,
            kind=AccessGrant.Kind.FAMILY_MEMBER,
            expires_on=b.today + timedelta(days=180),
        )

        # A parent whose child's school records the school shares with her in the issue 8
        # journey (Amara Nwosu is added back to Riverside's register there).
        nwosus = b.organisation("The Nwosu family", Organisation.Kind.FAMILY, "NWOSU")
        b.user(nwosus, "chidi.nwosu@family.example", "Chidi Nwosu", User.Role.PARENT)
        _demo_school_support(b, helen, tom, pupils, jo)

        _demo_notes(amira, jayden_case, chloe, maya_case, anil, aarav_case)
        _demo_monitoring(dan, amira, lewis, jayden_case, noah_case)
        _demo_timeline(b, jo, freddie_case, anil, aarav_case)
        _demo_documents(b, amira, jayden_case, jo, freddie_case)
        _demo_plan(b, jo, freddie_case)

        record_event(
            actor=None,
            action=Action.DEMO_LOADED,
            detail={"organisations": Organisation.objects.count()},
        )


def _demo_sen_register(b: _Builder, helen: User, pupils: list[Child]) -> None:
    """Issue 8: Riverside's SEN support pupils on its SEN register, one of them since taken off
    it (so the register has a history, and a pupil to add back)."""
    needs = {
        "Morgan": Needs("K", "SLCN", "HI"),
        "Bennett": Needs("K", "SPLD"),
        "Fraser": Needs("K", "SEMH", "SLCN"),
        "Nwosu": Needs("K", "MLD"),
    }
    for pupil in pupils:
        entry = add_to_register(
            actor=helen,
            child=pupil,
            needs=needs[pupil.last_name],
            started_on=b.days_ago(240),
            reason="Assessed by the SENCO with the class teacher and parents",
        )
        if pupil.last_name == "Nwosu":
            remove_from_register(
                actor=helen,
                entry=entry,
                removed_on=b.days_ago(20),
                reason="Making expected progress without additional provision; parents agreed "
                "at the review",
            )


def _demo_school_support(
    b: _Builder, helen: User, tom: User, pupils: list[Child], jo: User
) -> None:
    """Issue 8: Tom teaches Oak class (Freddie and Leo), so he sees their SEN records and no
    one else's; Riverside shares Freddie's records with his mother, Jo Morgan; Freddie's
    passport, agreed with him."""
    by_name = {pupil.last_name: pupil for pupil in pupils}
    freddie = by_name["Morgan"]
    add_school_class(
        actor=helen, name="Oak class", teachers=[tom], pupils=[freddie, by_name["Fraser"]]
    )
    add_school_class(
        actor=helen, name="Willow class", teachers=[], pupils=[by_name["Bennett"], by_name["Nwosu"]]
    )
    give_parent_access(actor=helen, child=freddie, email=jo.email)
    written = "Freddie with Mrs Price"
    agree_version(
        actor=helen,
        child=freddie,
        content=PassportContent(
            key_summary=Part(
                "Freddie is a friendly, curious boy who loves trains and drawing. He has a "
                "hearing loss in his left ear and finds it hard to follow talk in a noisy room.",
                written,
            ),
            agreed_on=b.days_ago(45),
            parts={
                "like_you_to_know": Part(
                    "I like trains, drawing and playing football at break.", written
                ),
                "this_means": Part(
                    "I sometimes miss what you say if you are on my left or the room is noisy.",
                    written,
                ),
                "find_difficult": Part(
                    "Listening when lots of people talk at once, and finding the right words "
                    "quickly.",
                    written,
                ),
                "would_help_me": Part(
                    "Sit me near the front on the right, say my name first, and give me "
                    "pictures to help me remember.",
                    written,
                ),
                "help_myself": Part(
                    "Telling you when I have not heard, and using my word mat.", written
                ),
                "additional_support": Part(
                    "Talk Boost in a small group three times a week.", "Mrs Price"
                ),
            },
            access_arrangements=["extra_time", "reader"],
            access_with="Mrs Price with Freddie's parents",
        ),
    )
    talk_boost = _demo_provision_map(b, helen, by_name)
    _demo_support_plan(b, helen, freddie, talk_boost)


def _weekdays(start: date, end: date, days: tuple[int, ...]) -> list[date]:
    """Every date from `start` to `end` (inclusive) falling on one of `days` (Monday is 0)."""
    found: list[date] = []
    day = start
    while day <= end:
        if day.weekday() in days:
            found.append(day)
        day += timedelta(days=1)
    return found


def _demo_intervention(
    helen: User,
    scale: MeasureScale,
    name: str,
    *,
    area: str,
    description: str,
    intended_outcome: str,
    wave: int,
    group_size: int,
    session_minutes: int,
    sessions_per_week: int,
    staff_role: str = "Teaching assistant",
    staff_cost_per_hour: Decimal = Decimal("14.50"),
    other_costs_per_year: Decimal = Decimal(0),
) -> Intervention:
    return provision.add_intervention(
        actor=helen,
        details=provision.InterventionDetails(
            name=name,
            area=area,
            description=description,
            intended_outcome=intended_outcome,
            wave=wave,
            group_size=group_size,
            staff_role=staff_role,
            session_minutes=session_minutes,
            sessions_per_week=sessions_per_week,
            staff_cost_per_hour=staff_cost_per_hour,
            other_costs_per_year=other_costs_per_year,
            scale=scale,
        ),
    )


def _demo_provision_map(b: _Builder, helen: User, by_name: dict[str, Child]) -> InterventionGroup:
    """Riverside's provision map: four interventions of its library, a Talk Boost group
    (Freddie and Leo) with three months of sessions and Freddie's exit score, and a reading
    group (Isla) that the issue 8 journey places Amara Nwosu in."""
    standardised = provision.add_scale(
        actor=helen, name="Standardised score", kind="standardised_score", minimum=40, maximum=160
    )
    reading_age = provision.add_scale(
        actor=helen, name="Reading age (months)", kind="reading_age_months", minimum=0, maximum=240
    )
    judgement = provision.add_scale(
        actor=helen, name="Progress judgement", kind="judgement", minimum=-2, maximum=2
    )
    talk = _demo_intervention(
        helen,
        standardised,
        "Talk Boost KS2",
        area="communication_and_interaction",
        description="A structured programme for children with language delay, in a small group.",
        intended_outcome="Better attention, listening, vocabulary and narrative.",
        wave=2,
        group_size=4,
        session_minutes=30,
        sessions_per_week=3,
        other_costs_per_year=Decimal("120.00"),
    )
    reading = _demo_intervention(
        helen,
        reading_age,
        "Inference reading group",
        area="cognition_and_learning",
        description="Guided reading of short texts, teaching how to read between the lines.",
        intended_outcome="A reading age within a year of the pupil's actual age.",
        wave=2,
        group_size=4,
        session_minutes=30,
        sessions_per_week=2,
    )
    _demo_intervention(
        helen,
        judgement,
        "Lego-based therapy",
        area="social_emotional_and_mental_health",
        description="Building together in roles (engineer, supplier, builder) to practise "
        "turn-taking and talking to each other.",
        intended_outcome="Joins in with others and takes turns without adult prompting.",
        wave=2,
        group_size=3,
        session_minutes=45,
        sessions_per_week=1,
        other_costs_per_year=Decimal("60.00"),
    )
    _demo_intervention(
        helen,
        standardised,
        "Speech and language therapy programme",
        area="communication_and_interaction",
        description="A programme set by the speech and language therapist, delivered one to one.",
        intended_outcome="The targets the therapist sets each term.",
        wave=3,
        group_size=1,
        session_minutes=30,
        sessions_per_week=1,
        staff_role="Speech and language therapist",
        staff_cost_per_hour=Decimal("45.00"),
    )
    talk_group = provision.start_group(
        actor=helen,
        intervention=talk,
        name="Talk Boost, Oak class",
        led_by="Mrs Shah (teaching assistant)",
        started_on=b.days_ago(120),
    )
    freddie_place = provision.place_pupil(
        actor=helen,
        group=talk_group,
        child=by_name["Morgan"],
        entry=provision.Entry(b.days_ago(120), 82, b.days_ago(121), target_gain=8),
    )
    leo_place = provision.place_pupil(
        actor=helen,
        group=talk_group,
        child=by_name["Fraser"],
        entry=provision.Entry(b.days_ago(120), 88, b.days_ago(121), target_gain=6),
    )
    missed = {3: "Teaching assistant off sick", 11: "Class trip"}
    for number, day in enumerate(_weekdays(b.days_ago(120), b.days_ago(1), (0, 2, 4))):
        if number in missed:
            provision.log_session(
                actor=helen, group=talk_group, held_on=day, held=False, reason=missed[number]
            )
        else:
            absent = [leo_place.pk] if number % 9 == 4 else []
            provision.log_session(
                actor=helen, group=talk_group, held_on=day, held=True, absent=absent
            )
    provision.record_exit(
        actor=helen, place=freddie_place, exit_score=91, measured_on=b.days_ago(58)
    )
    reading_group = provision.start_group(
        actor=helen,
        intervention=reading,
        name="Reading group, Willow class",
        led_by="Mr Adeyemi (teaching assistant)",
        started_on=b.days_ago(40),
    )
    provision.place_pupil(
        actor=helen,
        group=reading_group,
        child=by_name["Bennett"],
        entry=provision.Entry(b.days_ago(40), 101, b.days_ago(41), target_exit=110),
    )
    for day in _weekdays(b.days_ago(40), b.days_ago(1), (1, 3)):
        provision.log_session(actor=helen, group=reading_group, held_on=day, held=True)
    return talk_group


def _demo_support_plan(
    b: _Builder, helen: User, freddie: Child, talk_boost: InterventionGroup
) -> None:
    """Freddie's support plan: a first cycle reviewed with his mother two months ago, and the
    second under way, with Talk Boost as the provision of both."""
    plan = plans.start_plan(
        actor=helen,
        child=freddie,
        started_on=b.days_ago(121),
        review_due=b.days_ago(58),
        assessment=plans.Assessment(
            needs="Freddie's expressive language is well below age-related expectations, and "
            "he misses instructions in a noisy classroom (hearing loss, left ear).",
            evidence="CELF-5 screen (standard score 82); teacher observation over four weeks; "
            "audiology letter of March.",
            strategies="Seat near the front on the right; name first, then the instruction; "
            "visual prompts for new vocabulary.",
        ),
    )
    place = next(p for p in plans.pupil_places(freddie) if p.group_id == talk_boost.pk)
    first = plans.current_cycle(plan)
    assert first is not None
    plans.change_cycle(
        actor=helen,
        cycle=first,
        assessment=plans.Assessment(first.needs, first.evidence, first.strategies),
        review_due=first.review_due,
        places=[place],
    )
    story = plans.add_target(
        actor=helen,
        cycle=first,
        details=plans.TargetDetails(
            "Retell a short story in the right order using four picture prompts",
            "Does it unprompted in three of four Talk Boost sessions",
            b.days_ago(60),
        ),
    )
    words = plans.add_target(
        actor=helen,
        cycle=first,
        details=plans.TargetDetails(
            "Use ten new topic words correctly in class",
            "Class teacher's word log shows ten words used in his own sentences",
            b.days_ago(60),
        ),
    )
    plans.record_meeting(
        actor=helen,
        plan=plan,
        held_on=b.days_ago(58),
        purpose="Review of the first cycle",
        attendees="Helen Price (SENCO), Tom Barnes (class teacher), Jo Morgan (mother), Freddie",
        notes="Good progress with retelling; vocabulary still needs practice at home and school.",
    )
    plans.record_review(
        actor=helen,
        cycle=first,
        review=plans.Review(
            reviewed_on=b.days_ago(58),
            ratings={
                story.pk: plans.TargetRating(Rating.MET, "Retold three stories unprompted."),
                words.pk: plans.TargetRating(Rating.PARTLY_MET, "Six words used confidently."),
            },
            pupil_views="I like the story bags. The words are tricky.",
            parent_views="Jo says Freddie talks more about his day at home.",
            next_steps="Carry on with Talk Boost; a word book to share between home and school.",
            next_review_due=b.today + timedelta(days=25),
        ),
    )
    second = plans.current_cycle(plan)
    assert second is not None
    plans.add_target(
        actor=helen,
        cycle=second,
        details=plans.TargetDetails(
            "Use ten new topic words correctly in class",
            "Word book shows ten words used in his own sentences, at home or school",
            b.today + timedelta(days=20),
        ),
    )


def _demo_monitoring(
    dan: User, amira: User, lewis: User, jayden_case: Case, noah_case: Case
) -> None:
    """What Dan monitors in his team (issue 6, rule 13): a note finalised late and a draft
    older than the limit (Lewis's), and his case audits: one of Jayden's case completed, with
    an action for Amira, and one of Noah's case under way."""
    now = timezone.now()
    phone_call = ContactType.objects.get(organisation=noah_case.organisation, name="Phone call")
    late = start_draft(
        actor=lewis,
        case=noah_case,
        content=NoteContent(
            occurred_at=now - timedelta(days=16),
            title="Call with Noah's head of year",
            body=(
                "The head of year said Noah's attendance has improved to 92% this half term. "
                "Noah has joined the lunchtime football club."
            ),
            contact_type=phone_call,
        ),
    )
    finalise_note(actor=lewis, draft=late)
    start_draft(
        actor=lewis,
        case=noah_case,
        content=NoteContent(
            occurred_at=now - timedelta(days=10),
            title="Visit to Noah at school",
            contact_type=phone_call,
        ),
    )

    (completed,) = audit_services.start_chosen_sample(
        actor=dan, references=[jayden_case.reference]
    ).audits
    for answer in completed.answers.order_by("position"):
        seen_alone = "seen alone" in answer.question_text
        audit_services.grade_answer(
            actor=dan,
            answer=answer,
            grade=Grade.REQUIRES_IMPROVEMENT if seen_alone else Grade.GOOD,
            comment=(
                "The visit note says Jayden was seen alone but not what he said on his own."
                if seen_alone
                else "Seen in the notes and the chronology."
            ),
        )
    audit_services.add_audit_action(
        actor=dan,
        audit=completed,
        worker=amira,
        description="Record what Jayden says when he is seen alone, in his own words",
        due_on=timezone.localdate() + timedelta(days=14),
    )
    audit_services.complete_audit(
        actor=dan,
        audit=completed,
        overall_grade=Grade.GOOD,
        summary="Visits are on time and significant events stand out; Jayden's voice needs to "
        "come through more clearly.",
    )
    (under_way,) = audit_services.start_chosen_sample(
        actor=dan, references=[noah_case.reference]
    ).audits
    first = under_way.answers.order_by("position").first()
    if first is not None:
        audit_services.grade_answer(
            actor=dan, answer=first, grade=Grade.GOOD, comment="Notes are finalised on time."
        )


def _demo_timeline(b: _Builder, jo: User, freddie_case: Case, anil: User, aarav_case: Case) -> None:
    """Issue 4 in the family workspace: an EHC needs assessment request whose statutory clocks
    are running, the council's acknowledgement, and a call with a promise not yet tracked.
    Issue 7: the request, and the Patels' final plan, are changes of the EHCP status (each
    the timeline event it always was), so both cases have a status history."""

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    change_status(
        actor=jo,
        case=freddie_case,
        status=EhcpStatus.ASSESSMENT_REQUESTED,
        effective_on=b.days_ago(38),
        note="Sent by email to the SEN team with the school's SEN support plan and the "
        "speech and language therapy report attached.",
    )
    record_interaction(
        actor=jo,
        case=freddie_case,
        content=InteractionContent(
            occurred_at=at(b.days_ago(35), 9, 30),
            channel=Channel.EMAIL,
            contact_name="SEN team inbox",
            contact_organisation="Northmoor Council",
            summary="Automatic acknowledgement of the request, with a reference number.",
        ),
    )
    call_day = b.days_ago(2)
    promise = "A decision on whether to assess by the end of next week"
    record_interaction(
        actor=jo,
        case=freddie_case,
        content=InteractionContent(
            occurred_at=at(call_day, 10, 15),
            channel=Channel.PHONE_CALL,
            contact_name="Sam Okafor",
            contact_role="SEN caseworker",
            contact_organisation="Northmoor Council",
            summary="Rang to ask where the request had got to. Sam said the panel meets on "
            "Thursday and has the school's evidence.",
            promise=promise,
            promise_due_on=date_from_words(promise, call_day, working_days()),
            promise_party=Party.LOCAL_AUTHORITY,
            in_timeline=True,
        ),
    )
    change_status(
        actor=anil,
        case=aarav_case,
        status=EhcpStatus.FINAL_PLAN_ISSUED,
        effective_on=b.days_ago(330),
        note="Final EHC plan naming Northmoor Academy.",
    )


def _demo_documents(
    b: _Builder, amira: User, jayden_case: Case, jo: User, freddie_case: Case
) -> None:
    """Issue 5: an email from Jayden's school, kept as a document with its attachment (rule 11:
    emails are stored, never pasted), and the family's EHC needs assessment request letter."""

    def keep(actor: User, case: Case, name: str, data: bytes, title: str, category: str) -> None:
        store_document(
            actor=actor,
            source=io.BytesIO(data),
            file_name=name,
            size=len(data),
            details=DocumentDetails(
                title=title,
                category=DocumentCategory.objects.get(
                    organisation=case.organisation, name=category
                ),
                cases=[case],
            ),
        )

    sent = timezone.make_aware(datetime.combine(b.days_ago(6), time(8, 40)))
    keep(
        amira,
        jayden_case,
        "Attendance this half term.eml",
        files.eml(
            subject="Jayden's attendance this half term",
            sender='"Rita Patel, Attendance Officer" <r.patel@riverside-primary.example>',
            to="Amira Khan <amira.khan@northmoor.example>",
            body=(
                "Dear Amira,\n\nJayden's attendance is 91% this half term, up from 84%. He "
                "was late four times, always on Mondays. The attendance report is attached.\n\n"
                "Kind regards,\nRita Patel"
            ),
            sent_at=sent,
            attachments=[
                (
                    "Attendance report.pdf",
                    "application/pdf",
                    files.pdf("Attendance report: Jayden Osei", "Attendance 91%. Late: 4."),
                )
            ],
        ),
        "",
        "Correspondence",
    )
    keep(
        jo,
        freddie_case,
        "EHC needs assessment request.pdf",
        files.pdf(
            "Request for an EHC needs assessment for Freddie Morgan",
            "Freddie has a diagnosis of developmental language disorder.",
            "The school's SEN support plan and the speech and language therapy report are "
            "enclosed.",
        ),
        "Our request for an EHC needs assessment",
        "EHCP",
    )


def _demo_notes(
    amira: User, jayden_case: Case, chloe: User, maya_case: Case, anil: User, aarav_case: Case
) -> None:
    """A few case notes, written and finalised through the ledger services as a worker would.

    They are finalised now (the server stamps the time), so notes about older events show as
    finalised late, as they would be. Each also leaves a draft on a home page.
    """
    now = timezone.now()

    def contact(case: Case, name: str) -> ContactType:
        return ContactType.objects.get(organisation=case.organisation, name=name)

    def tags(case: Case, *names: str) -> list[Tag]:
        return list(Tag.objects.filter(organisation=case.organisation, name__in=names))

    def note(author: User, case: Case, content: NoteContent) -> Entry:
        draft = start_draft(actor=author, case=case, content=content)
        return finalise_note(actor=author, draft=draft)[0]

    visit = note(
        amira,
        jayden_case,
        NoteContent(
            occurred_at=now - timedelta(days=3, hours=2),
            title="Child protection visit at home",
            body=(
                "Visited Jayden and his mother Abena at home after school.\n"
                "- Jayden showed me his room; it was clean and warm\n"
                "- Abena said the new bedtime routine is working\n\n"
                "Jayden told me he feels safe at home. I saw no marks or bruises."
            ),
            contact_type=contact(jayden_case, "CP plan visit"),
            visit_statutory=True,
            visit_announcement="unannounced",
            tags=tags(jayden_case, "Child protection"),
            children=[ChildVisit(jayden_case.id, seen=True, alone=True)],
        ),
    )
    note(
        amira,
        jayden_case,
        NoteContent(
            occurred_at=now - timedelta(days=2, hours=5),
            title="Police called to the family home",
            body=(
                "PC Sarah Lane phoned to say police attended the home last night after a "
                "neighbour reported shouting. No arrests. Jayden was asleep upstairs."
            ),
            contact_type=contact(jayden_case, "Phone call"),
            significant=True,
            significant_category="police_involvement",
            external_reference="Police incident log 4471, held by Northmoor Police",
            linked_entry_ids=[visit.id],
        ),
    )
    add_correction(
        actor=amira,
        original=visit,
        reason="omission",
        explanation="I did not record that Abena's partner was present for part of the visit.",
        body="Abena's partner, Kwame, was at home for the first 20 minutes of the visit.",
    )
    start_draft(
        actor=amira,
        case=jayden_case,
        content=NoteContent(
            occurred_at=now - timedelta(days=1),
            title="Core group meeting",
            contact_type=contact(jayden_case, "Meeting"),
        ),
    )
    note(
        chloe,
        maya_case,
        NoteContent(
            occurred_at=now - timedelta(days=8),
            title="Placement visit to Maya",
            body="Maya is settled with her foster carers and enjoying her new school.",
            contact_type=contact(maya_case, "CLA placement visit"),
            visit_statutory=True,
            visit_announcement="announced",
            tags=tags(maya_case, "Placement"),
            children=[ChildVisit(maya_case.id, seen=True, alone=True)],
        ),
    )
    note(
        anil,
        aarav_case,
        NoteContent(
            occurred_at=now - timedelta(days=1, hours=3),
            title="Called the SEN caseworker",
            body=(
                "Spoke to the caseworker about the needs assessment.\n"
                "- She said the educational psychologist will visit school next month\n"
                "- She promised to email the date by Friday"
            ),
            contact_type=contact(aarav_case, "Phone call"),
            tags=tags(aarav_case, "Correspondence"),
        ),
    )


# The Morgans' draft of Freddie's EHC plan, as Jo typed it in (issue 7): sections A to K.
DEMO_DRAFT_PLAN = {
    "A": "Freddie loves trains, Lego and swimming. He wants to have a friend to play with at "
    "break time. His parents want him to be understood when he speaks and to stay at his local "
    "school with his sister.",
    "B": "Communication and interaction: Freddie has a developmental language disorder. He "
    "finds it hard to follow instructions of more than two parts and to find the words he "
    "needs.\n\nSocial, emotional and mental health: he becomes anxious at changes of routine.",
    "C": "Freddie has glue ear, monitored by the audiology clinic.",
    "D": "",
    "E": "By the end of Key Stage 2, Freddie will follow three-part instructions in class "
    "without an adult repeating them.\n\nBy July next year, Freddie will take part in a "
    "structured game with two friends at break time.",
    "F": "Speech and language therapy: a programme set by a speech and language therapist, "
    "delivered by a trained teaching assistant for 20 minutes three times a week, reviewed "
    "each term.\n\nVisual timetable and warnings before changes of routine, every day.",
    "G": "Audiology reviews every six months.",
    "H": "",
    "I": "Riverside Primary School (mainstream)",
    "J": "",
    "K": "Speech and language therapy report; educational psychology advice; advice from "
    "Riverside Primary School.",
}


def _demo_plan(b: _Builder, jo: User, freddie_case: Case) -> None:
    """Issue 7: a draft of Freddie's plan, typed in by Jo and confirmed, so the plan pages
    have a version to read and to compare the next one with."""
    version = add_plan_version(
        actor=jo, case=freddie_case, kind=PlanKind.DRAFT, issued_on=b.days_ago(3), upload=None
    )
    confirm_plan_sections(actor=jo, version=version, sections=DEMO_DRAFT_PLAN)
