"""`caseledger bench sen`: a generated school's provision map and school-wide reports, timed.

Issue 8's budget: with a 1,500-pupil school (300 on the SEN register, 40 interventions,
three years of delivery logs) the provision map and the school-wide impact report each
answer in under 300 ms at the 95th percentile on SQLite, with a constant number of queries.

`run` writes two schools into the configured database with `bulk_create` (the rows the
services would write, without the audit events, which no page reads): the full school and one
ten times smaller, then times both pages for the full school's SENCO through Django's test
Client and counts each page's queries for both schools — equal counts are the check that the
pages do not query per row. The shape of the generated data follows
`caseledger/domain/tests/test_sen_scale.py`: each intervention runs groups with a new set of
pupils every term, 5% of sessions missed, 8% of places absent from a held session, 85% of
places measured at exit.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caseledger.accounts.models import Organisation, User
from caseledger.domain.sen.areas import BroadArea, NeedCode, SenProvision, Wave
from caseledger.domain.sen.impact import JUDGEMENT, READING_AGE, STANDARDISED_SCORE, academic_year
from caseledger.people.models import Child
from caseledger.provision.models import (
    DeliverySession,
    Intervention,
    InterventionGroup,
    MeasureScale,
    Place,
    SessionAbsence,
)
from caseledger.sen.models import RegisterEntry, RegisterStatus

BATCH = 2000


class BenchError(Exception):
    pass


@dataclass(frozen=True)
class Size:
    pupils: int = 1500
    on_register: int = 300
    interventions: int = 40
    groups_per_intervention: int = 11
    years: int = 3

    def smaller(self) -> Size:
        """The same school ten times smaller (at least one of everything)."""
        return Size(
            pupils=max(self.pupils // 10, 1),
            on_register=max(self.on_register // 10, 1),
            interventions=max(self.interventions // 10, 1),
            groups_per_intervention=max(self.groups_per_intervention // 10, 1),
            years=self.years,
        )


def _counts(organisation: Organisation) -> dict[str, int]:
    groups = InterventionGroup.objects.filter(intervention__organisation=organisation)
    return {
        "pupils": Child.objects.filter(organisation=organisation).count(),
        "on_register": RegisterEntry.objects.filter(organisation=organisation).count(),
        "interventions": Intervention.objects.filter(organisation=organisation).count(),
        "groups": groups.count(),
        "places": Place.objects.filter(group__in=groups).count(),
        "sessions": DeliverySession.objects.filter(group__in=groups).count(),
        "absences": SessionAbsence.objects.filter(session__group__in=groups).count(),
    }


@transaction.atomic
def generate(size: Size, *, last_year: int, seed: int = 8) -> User:
    """A school of `size` with `size.years` academic years of logs ending with `last_year`;
    returns its SENCO."""
    rng = random.Random(seed)  # noqa: S311 (repeatable bench data, not security)
    tag = uuid.uuid4().hex[:6].upper()
    school = Organisation.objects.create(
        name=f"Bench Primary {tag}", kind=Organisation.Kind.SCHOOL, reference_prefix=f"B{tag}"
    )
    senco = User.objects.create_user(
        f"senco.{tag.lower()}@bench.example",
        full_name="Bench SENCO",
        organisation=school,
        role=User.Role.SENCO,
    )
    first_year = last_year - size.years + 1
    children = [
        Child(
            organisation=school,
            first_names=f"Pupil{number}",
            last_name=f"Bench{number:04}",
            date_of_birth=date(first_year - 5 - rng.randint(0, 6), rng.randint(1, 12), 1),
            gender=Child.Gender.NOT_KNOWN,
        )
        for number in range(size.pupils)
    ]
    Child.objects.bulk_create(children, batch_size=BATCH)
    on_register = children[: size.on_register]
    needs = [need for need in NeedCode if need is not NeedCode.NSA]
    RegisterEntry.objects.bulk_create(
        [
            RegisterEntry(
                organisation=school,
                child=child,
                provision=(
                    SenProvision.EHC_PLAN if rng.random() < 0.15 else SenProvision.SEN_SUPPORT
                ).value,
                primary_need=rng.choice(needs).value,
                started_on=date(first_year, 9, 1),
                status=RegisterStatus.ON_REGISTER,
            )
            for child in on_register
        ],
        batch_size=BATCH,
    )
    scales = [
        MeasureScale.objects.create(
            organisation=school,
            name=name,
            kind=scale.kind.value,
            minimum=scale.minimum,
            maximum=scale.maximum,
        )
        for name, scale in (
            ("Standardised score", STANDARDISED_SCORE),
            ("Reading age", READING_AGE),
            ("Judgement", JUDGEMENT),
        )
    ]
    interventions = [
        Intervention(
            organisation=school,
            name=f"Intervention {number:02}",
            area=list(BroadArea)[number % 4].value,
            wave=list(Wave)[number % 3].value,
            group_size=rng.randint(1, 6),
            staff_role="Teaching assistant",
            session_minutes=rng.choice([20, 30, 45, 60]),
            sessions_per_week=rng.randint(1, 5),
            staff_cost_per_hour=Decimal(rng.randint(1250, 3000)).scaleb(-2),
            other_costs_per_year=Decimal(rng.randint(0, 600)),
            scale=scales[number % 3],
        )
        for number in range(size.interventions)
    ]
    Intervention.objects.bulk_create(interventions, batch_size=BATCH)
    groups: list[InterventionGroup] = []
    places: list[Place] = []
    sessions: list[DeliverySession] = []
    absences: list[SessionAbsence] = []
    for intervention in interventions:
        scale = scales[interventions.index(intervention) % 3]
        weekdays = sorted(rng.sample(range(5), intervention.sessions_per_week))
        for number in range(size.groups_per_intervention):
            group = InterventionGroup(
                intervention=intervention,
                name=f"Group {number + 1}",
                started_on=date(first_year, 9, 5),
            )
            groups.append(group)
            for year in range(first_year, last_year + 1):
                for term in range(3):
                    start = date(year, 9, 5) + timedelta(weeks=13 * term)
                    end = start + timedelta(weeks=12, days=4)
                    members = rng.sample(
                        on_register, min(intervention.group_size, len(on_register))
                    )
                    term_places = []
                    for child in members:
                        entry = rng.randint(scale.minimum, (scale.minimum + scale.maximum) // 2)
                        exit_score = min(
                            scale.maximum, max(scale.minimum, entry + rng.randint(-2, 8))
                        )
                        measured = rng.random() < 0.85
                        term_places.append(
                            Place(
                                group=group,
                                child=child,
                                started_on=start,
                                ended_on=end,
                                entry_score=entry,
                                entry_measured_on=start,
                                exit_score=exit_score if measured else None,
                                exit_measured_on=end if measured else None,
                                target_gain=2,
                            )
                        )
                    places += term_places
                    for week in range(13 if term < 2 else 12):
                        for weekday in weekdays:
                            day = start + timedelta(weeks=week, days=weekday)
                            if day > end:
                                continue
                            held = rng.random() >= 0.05
                            session = DeliverySession(
                                group=group,
                                held_on=day,
                                held=held,
                                reason="" if held else "Staff absence",
                                recorded_by=senco,
                            )
                            sessions.append(session)
                            if held:
                                absences += [
                                    SessionAbsence(session=session, place=place, held_on=day)
                                    for place in term_places
                                    if rng.random() < 0.08
                                ]
    InterventionGroup.objects.bulk_create(groups, batch_size=BATCH)
    Place.objects.bulk_create(places, batch_size=BATCH)
    DeliverySession.objects.bulk_create(sessions, batch_size=BATCH)
    SessionAbsence.objects.bulk_create(absences, batch_size=BATCH)
    return senco


def _time(client: Client, url: str, runs: int) -> dict[str, Any]:
    client.get(url, secure=True)  # warm caches, as a running server would be
    timings: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise BenchError(f"{url} answered {response.status_code}")
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 1),
        "max_ms": round(timings[-1], 1),
        "queries": _queries(client, url),
    }


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url, secure=True)
    return len(queries)


def _client(user: User) -> Client:
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    client.force_login(user)
    return client


def run(
    *, size: Size | None = None, runs: int = 50, progress: Callable[[str], Any] | None = None
) -> dict[str, Any]:
    """Generate both schools, time the pages, and return the figures as plain data."""
    if settings.PRODUCTION:
        raise BenchError("The SEN bench never runs with production settings")
    size = size or Size()
    say = progress or (lambda _message: None)
    # The last complete academic year, so every year generated is in the past.
    last_year = academic_year(timezone.localdate()) - 1
    started = time.perf_counter()
    say(f"Generating a {size.pupils}-pupil school…")
    senco = generate(size, last_year=last_year)
    say(f"Generating a {size.smaller().pupils}-pupil school…")
    small_senco = generate(size.smaller(), last_year=last_year, seed=9)
    generated_s = round(time.perf_counter() - started, 1)
    # Generating leaves hundreds of thousands of freed model instances behind: collect them
    # now, so the timings are of a process like a running server's, not of this one's heap.
    gc.collect()
    assert senco.organisation is not None and small_senco.organisation is not None
    client, small_client = _client(senco), _client(small_senco)
    pages = {
        "provision_map": f"/provision-map/?year={last_year}",
        "school_wide_reports": f"/provision-map/reports/?year={last_year}",
        "provision_map_all_years": "/provision-map/?year=all",
        "school_wide_reports_all_years": "/provision-map/reports/?year=all",
    }
    figures: dict[str, Any] = {
        "database": connection.vendor,
        "runs": runs,
        "academic_year": f"{last_year} to {last_year + 1}",
        "school": _counts(senco.organisation),
        "smaller_school": _counts(small_senco.organisation),
        "generated_in_s": generated_s,
        "budget_p95_ms": 300,
        "pages": {},
    }
    for name, url in pages.items():
        say(f"Timing {url}…")
        timed = _time(client, url, runs)
        timed["queries_smaller_school"] = _queries(small_client, url)
        timed["constant_queries"] = timed["queries"] == timed["queries_smaller_school"]
        timed["url"] = url
        figures["pages"][name] = timed
    return figures
