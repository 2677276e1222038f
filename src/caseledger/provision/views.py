"""The provision map's pages. Thin: check access, bind a form, call one service, redirect or
render. School staff read every page; the SENCO and admins write; everyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from caseledger.compliance.tables import csv_text
from caseledger.domain.sen.areas import AREA_COLUMNS, BroadArea, area_label
from caseledger.domain.sen.charts import Bar, Section, bar_chart
from caseledger.domain.sen.impact import (
    InterventionImpact,
    NeedPattern,
    ProvisionCell,
    PupilImpact,
    RankedIntervention,
    academic_year,
    intervention_impact,
    patterns_of_need,
    provision_by_area_and_wave,
    pupil_impacts,
    rank_interventions,
    rounded,
)
from caseledger.provision import services
from caseledger.provision.access import (
    access_group,
    access_intervention,
    access_place_to_change,
    access_provision,
    access_provision_to_change,
    scales_of,
)
from caseledger.provision.forms import (
    ChangeInterventionForm,
    ChangePlaceForm,
    EndForm,
    ExitForm,
    GroupForm,
    InterventionForm,
    LibraryFilterForm,
    PlaceForm,
    ScaleForm,
    SessionForm,
    YearForm,
)
from caseledger.provision.models import (
    DeliverySession,
    Intervention,
    MeasureScale,
    Place,
)
from caseledger.provision.queries import (
    PupilProvision,
    Window,
    academic_years,
    domain_intervention,
    key_of,
    load_delivery,
    places_in,
    pupil_provision,
    register_entries,
    school_map,
    total_cost,
)
from caseledger.provision.templatetags.provision_tags import gain_text, target_met, target_text
from caseledger.sen.access import access_pupil_as_staff, keeps_sen_register, pupils_seen_by_staff
from caseledger.ui.pages import acting_user, call_service, render_form_page

PER_PAGE = 50


def _csv(name: str, header: Sequence[str], rows: list[list[Any]]) -> HttpResponse:
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate().isoformat()}.csv"'
    )
    return response


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form's data on a POST, even an empty one (which should show what is missing)."""
    return request.POST if request.method == "POST" else None


def _or_blank(value: Decimal | None) -> Decimal | str:
    """A figure, or an empty cell for none (a zero is a figure: `or ""` would blank it)."""
    return "" if value is None else value


def _gain(value: Fraction | None) -> str:
    """An average gain as every provision page shows it (`provision_tags.gain_text`)."""
    shown = rounded(value, 1)
    return "" if shown is None else gain_text(shown)


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


# --- Measure scales --------------------------------------------------------------------------


def _drawn(svg: str) -> SafeString:
    """A chart from `caseledger.domain.sen.charts.bar_chart`, which escapes every text it
    draws (titles, labels, values), so its markup goes into the page as it is."""
    return mark_safe(svg)  # noqa: S308 - escaped by bar_chart, tested in test_sen_charts.py


@require_http_methods(["GET"])
def scales(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = access_provision(user)
    return render(
        request,
        "provision/scales.html",
        {"scales": scales_of(organisation), "can_keep": keeps_sen_register(user)},
    )


@require_http_methods(["GET", "POST"])
def scale_add(request: HttpRequest) -> HttpResponse:
    """Add a scale; the usual ones the school does not have yet are offered in one click."""
    user = acting_user(request)
    organisation = access_provision_to_change(user)
    taken = {scale.name.lower() for scale in scales_of(organisation)}
    presets = {name: scale for name, scale in services.PRESETS.items() if name.lower() not in taken}
    chosen = presets.get(request.POST.get("preset", "")) if request.method == "POST" else None
    form = ScaleForm(None if chosen else (_posted(request)))
    if chosen is not None:
        name = request.POST["preset"]
        form = ScaleForm(
            {
                "name": name,
                "kind": chosen.kind.value,
                "minimum": chosen.minimum,
                "maximum": chosen.maximum,
            }
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scale = call_service(
            form,
            lambda: services.add_scale(
                actor=user,
                name=data["name"],
                kind=data["kind"],
                minimum=data["minimum"],
                maximum=data["maximum"],
            ),
        )
        if scale is not None:
            messages.success(request, f"The scale ‘{scale.name}’ has been added")
            return redirect("provision:scales")
    return render_form_page(request, "provision/scale_add.html", form, presets=presets)


# --- The intervention library ----------------------------------------------------------------


@require_http_methods(["GET"])
def interventions(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = access_provision(user)
    form = LibraryFilterForm(request.GET or None)
    library = Intervention.objects.filter(organisation=organisation).select_related("scale")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["area"]:
            library = library.filter(area=data["area"])
        if data["wave"]:
            library = library.filter(wave=int(data["wave"]))
        if data["status"]:
            library = library.filter(is_active=data["status"] == "active")
    page = Paginator(library.order_by("-is_active", "name", "id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(item, domain_intervention(item)) for item in page.object_list]
    return render(
        request,
        "provision/interventions.html",
        {
            "filter_form": form,
            "page": page,
            "rows": rows,
            "can_keep": keeps_sen_register(user),
            "query": request.GET.urlencode() if form.is_bound else "",
        },
    )


def _details(data: dict[str, Any], by_id: dict[str, MeasureScale], *, active: bool) -> Any:
    return services.InterventionDetails(
        name=data["name"],
        area=data["area"],
        description=data["description"],
        intended_outcome=data["intended_outcome"],
        wave=data["wave"],
        group_size=data["group_size"],
        staff_role=data["staff_role"],
        session_minutes=data["session_minutes"],
        sessions_per_week=data["sessions_per_week"],
        staff_cost_per_hour=data["staff_cost_per_hour"],
        other_costs_per_year=data["other_costs_per_year"],
        scale=by_id.get(data["scale"]),
        is_active=active,
    )


@require_http_methods(["GET", "POST"])
def intervention_add(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = access_provision_to_change(user)
    by_id = {str(scale.pk): scale for scale in scales_of(organisation)}
    form = InterventionForm(
        _posted(request), scales=[(key, scale.name) for key, scale in by_id.items()]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        intervention = call_service(
            form,
            lambda: services.add_intervention(
                actor=user, details=_details(data, by_id, active=True)
            ),
        )
        if intervention is not None:
            messages.success(request, f"‘{intervention.name}’ has been added to the library")
            return redirect("provision:intervention", intervention_id=intervention.id)
    return render_form_page(
        request, "provision/intervention_add.html", form, has_scales=bool(by_id)
    )


@require_http_methods(["GET", "POST"])
def intervention_change(request: HttpRequest, intervention_id: UUID) -> HttpResponse:
    user = acting_user(request)
    intervention = access_intervention(user, intervention_id, to_change=True)
    by_id = {str(scale.pk): scale for scale in scales_of(intervention.organisation)}
    initial = {
        name: getattr(intervention, name)
        for name in (
            "name",
            "area",
            "description",
            "intended_outcome",
            "wave",
            "group_size",
            "staff_role",
            "session_minutes",
            "sessions_per_week",
            "staff_cost_per_hour",
            "other_costs_per_year",
        )
    }
    initial["scale"] = str(intervention.scale_id)
    initial["is_active"] = "yes" if intervention.is_active else "no"
    form = ChangeInterventionForm(
        _posted(request),
        initial=initial,
        scales=[(key, scale.name) for key, scale in by_id.items()],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = call_service(
            form,
            lambda: services.change_intervention(
                actor=user,
                intervention=intervention,
                details=_details(data, by_id, active=data["is_active"]),
            ),
        )
        if changed is not None:
            messages.success(request, f"‘{changed.name}’ has been changed")
            return redirect("provision:intervention", intervention_id=intervention.id)
    return render_form_page(
        request, "provision/intervention_change.html", form, intervention=intervention
    )


def _window(request: HttpRequest, organisation_id: UUID) -> tuple[YearForm, Window, dict[str, str]]:
    """The academic year asked for: this one unless another, or every year, is chosen."""
    years = academic_years(organisation_id)
    form = YearForm(request.GET or None, years=years)
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        chosen = form.cleaned_data["year"]
        return form, Window(None if chosen == "all" else int(chosen)), {"year": chosen}
    return form, Window(academic_year(timezone.localdate())), {}


# A place's figures, the same columns on an intervention's page and on a pupil's: when it was
# kept, what was delivered, its cost and the pupil's progress (Code of Practice 6.52–6.54: the
# "do" and "review" of the graduated approach).
PLACE_HEADER = (
    "Place started",
    "Place ended",
    "Sessions planned",
    "Sessions held",
    "Sessions attended",
    "Cost (£)",
    "Entry score",
    "Exit score",
    "Gain",
    "Target",
    "Target met",
)


def _place_cells(provision: PupilProvision) -> list[Any]:
    place, impact = provision.place, provision.impact
    return [
        place.started_on.isoformat(),
        place.ended_on.isoformat() if place.ended_on else "",
        impact.sessions_planned,
        impact.sessions_held,
        impact.sessions_attended,
        _money(impact.cost),
        "" if place.entry_score is None else place.entry_score,
        "" if place.exit_score is None else place.exit_score,
        "" if impact.gain is None else gain_text(impact.gain),
        target_text(place),
        target_met(impact),
    ]


class Delivered:
    """An intervention's figures over the academic year asked for: its impact, each place's,
    and which places the user sees (a teacher: their classes' pupils, as on a group's page).
    The page and its CSVs are built from it, so they never disagree."""

    def __init__(self, request: HttpRequest, intervention_id: UUID) -> None:
        self.user = acting_user(request)
        self.intervention = access_intervention(self.user, intervention_id)
        self.year_form, self.window, self.chosen = _window(
            request, self.intervention.organisation_id
        )
        delivery = load_delivery([self.intervention.pk], self.window)
        library = domain_intervention(self.intervention)
        inputs = (delivery.groups, delivery.assignments, delivery.sessions, delivery.measures)
        self.impact: InterventionImpact = intervention_impact(library, *inputs)
        self.by_place: dict[str, PupilImpact] = {
            pupil.assignment.key: pupil for pupil in pupil_impacts(library, *inputs)
        }
        self.seen = places_in(self.intervention, self.window, pupils_seen_by_staff(self.user))

    def provisions(self, places: Iterable[Place]) -> list[PupilProvision]:
        # A place added since the figures were worked out has none yet: it is left out.
        return [
            PupilProvision(place, self.by_place[key_of(place.pk)])
            for place in places
            if key_of(place.pk) in self.by_place
        ]

    def pupils_table(self) -> tuple[list[str], list[list[Any]]]:
        rows = [
            [
                provision.place.child.display_name,
                provision.place.group.name,
                *_place_cells(provision),
            ]
            for provision in self.provisions(self.seen)
        ]
        return ["Pupil", "Group", *PLACE_HEADER], rows

    def missed_table(self) -> tuple[list[str], list[list[Any]]]:
        return ["Reason", "Sessions missed"], [
            [reason, count] for reason, count in self.impact.missed_by_reason
        ]


INTERVENTION_TABLES: dict[str, Callable[[Delivered], tuple[list[str], list[list[Any]]]]] = {
    "pupils": Delivered.pupils_table,
    "sessions-missed": Delivered.missed_table,
}


@require_http_methods(["GET"])
def intervention_detail(request: HttpRequest, intervention_id: UUID) -> HttpResponse:
    """An intervention: what it is and costs, its groups, and its impact over a year, with
    each place's (a page at a time) and the sessions missed by reason."""
    found = Delivered(request, intervention_id)
    intervention, impact = found.intervention, found.impact
    page = Paginator(found.seen, PER_PAGE).get_page(request.GET.get("page"))
    groups = list(intervention.groups.order_by("-started_on", "name"))
    return render(
        request,
        "provision/intervention_detail.html",
        {
            "intervention": intervention,
            "library": domain_intervention(intervention),
            "impact": impact,
            "average_gain": rounded(impact.average_gain, 1),
            "groups": groups,
            "year_form": found.year_form,
            "window": found.window,
            "chosen": found.chosen,
            "query": urlencode(found.chosen),
            "page": page,
            "provisions": found.provisions(page.object_list),
            # Places in the year of pupils outside a teacher's classes: counted, not shown.
            "hidden": max(0, len(found.by_place) - page.paginator.count),
            "can_keep": keeps_sen_register(found.user),
        },
    )


@require_http_methods(["GET"])
def intervention_export(request: HttpRequest, intervention_id: UUID, table: str) -> HttpResponse:
    """One of an intervention's tables as CSV, with every row the user's page has."""
    make = INTERVENTION_TABLES.get(table)
    found = Delivered(request, intervention_id)  # 404 for anyone but the school's staff
    if make is None:
        raise Http404
    header, rows = make(found)
    services.record_export(
        actor=found.user,
        organisation=found.intervention.organisation,
        table=f"intervention-{table}",
        filters=found.chosen,
        rows=len(rows),
        of=found.intervention,
    )
    # Named for the table, never the intervention or a pupil: a file's name is seen in a
    # downloads folder and a mail's attachment list by people the data is not for.
    return _csv(f"intervention-{table}", header, rows)


# --- Groups ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def group_add(request: HttpRequest, intervention_id: UUID) -> HttpResponse:
    user = acting_user(request)
    intervention = access_intervention(user, intervention_id, to_change=True)
    form = GroupForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = call_service(
            form,
            lambda: services.start_group(
                actor=user,
                intervention=intervention,
                name=data["name"],
                led_by=data["led_by"],
                started_on=data["started_on"],
            ),
        )
        if group is not None:
            messages.success(request, f"The group ‘{group.name}’ has been started")
            return redirect("provision:group", group_id=group.id)
    return render_form_page(request, "provision/group_add.html", form, intervention=intervention)


@require_http_methods(["GET"])
def group_detail(request: HttpRequest, group_id: UUID) -> HttpResponse:
    """A group: its places (a teacher sees the pupils in their classes) and its sessions, a
    page at a time."""
    user = acting_user(request)
    group = access_group(user, group_id)
    places = list(
        Place.objects.filter(group=group, child__in=pupils_seen_by_staff(user))
        .select_related("child")
        .order_by("started_on", "child__last_name", "id")
    )
    hidden = Place.objects.filter(group=group).count() - len(places)
    sessions = (
        DeliverySession.objects.filter(group=group)
        .annotate(absent=Count("absences"))
        .order_by("-held_on", "id")
    )
    page = Paginator(sessions, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "provision/group_detail.html",
        {
            "group": group,
            "intervention": group.intervention,
            "places": places,
            "hidden": hidden,
            "page": page,
            "can_keep": keeps_sen_register(user),
        },
    )


@require_http_methods(["GET", "POST"])
def group_end(request: HttpRequest, group_id: UUID) -> HttpResponse:
    user = acting_user(request)
    group = access_group(user, group_id, to_change=True)
    if group.ended_on is not None:
        return redirect("provision:group", group_id=group.id)
    form = EndForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: (
                services.end_group(actor=user, group=group, ended_on=form.cleaned_data["ended_on"])
                or True
            ),
        )
        if done:
            messages.success(request, f"The group ‘{group.name}’ has ended")
            return redirect("provision:group", group_id=group.id)
    return render_form_page(request, "provision/group_end.html", form, group=group)


@require_http_methods(["GET", "POST"])
def session_add(request: HttpRequest, group_id: UUID) -> HttpResponse:
    """Log a session: held, with who was absent, or missed with the reason."""
    user = acting_user(request)
    group = access_group(user, group_id, to_change=True)
    places = Place.objects.filter(group=group).select_related("child").order_by("started_on", "id")
    # Before a date is given, offer the places open today, or on the group's last day if it
    # has ended (a session can be logged up to then, never after).
    today = timezone.localdate()
    default_on = min(today, group.ended_on) if group.ended_on is not None else today
    form = SessionForm(_posted(request), places=places, default_on=default_on)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = call_service(
            form,
            lambda: services.log_session(
                actor=user,
                group=group,
                held_on=data["held_on"],
                held=data["held"],
                reason=data["reason"],
                absent=[UUID(value) for value in data["absent"]],
            ),
        )
        if session is not None:
            messages.success(
                request, f"The session on {session.held_on:%-d %B %Y} has been recorded"
            )
            return redirect("provision:group", group_id=group.id)
    return render_form_page(request, "provision/session_add.html", form, group=group)


@require_http_methods(["GET", "POST"])
def place_add(request: HttpRequest, group_id: UUID) -> HttpResponse:
    user = acting_user(request)
    group = access_group(user, group_id, to_change=True)
    if group.ended_on is not None:
        return redirect("provision:group", group_id=group.id)
    pupils = {
        str(child.pk): child
        for child in pupils_seen_by_staff(user).order_by("last_name", "first_names", "id")
    }
    form = PlaceForm(
        _posted(request),
        pupils=[(key, child.display_name) for key, child in pupils.items()],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = pupils[data["child"]]
        place = call_service(
            form,
            lambda: services.place_pupil(
                actor=user,
                group=group,
                child=child,
                entry=_entry(data),
            ),
        )
        if place is not None:
            messages.success(request, f"{child.display_name} has a place in ‘{group.name}’")
            return redirect("provision:group", group_id=group.id)
    return render_form_page(
        request,
        "provision/place_add.html",
        form,
        group=group,
        scale=group.intervention.scale,
    )


def _entry(data: dict[str, Any]) -> services.Entry:
    """A place's start, entry measure and target as the place forms send them."""
    return services.Entry(
        started_on=data["started_on"],
        entry_score=data["entry_score"],
        entry_measured_on=data["entry_measured_on"],
        target_gain=data["target_gain"],
        target_exit=data["target_exit"],
    )


@require_http_methods(["GET", "POST"])
def place_end(request: HttpRequest, place_id: UUID) -> HttpResponse:
    user = acting_user(request)
    place = access_place_to_change(user, place_id)
    if place.ended_on is not None:
        return redirect("provision:group", group_id=place.group_id)
    form = EndForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        ended = call_service(
            form,
            lambda: services.end_place(
                actor=user, place=place, ended_on=form.cleaned_data["ended_on"]
            ),
        )
        if ended is not None:
            messages.success(request, f"{place.child.display_name}'s place has ended")
            return redirect("provision:group", group_id=place.group_id)
    return render_form_page(request, "provision/place_end.html", form, place=place)


@require_http_methods(["GET", "POST"])
def place_change(request: HttpRequest, place_id: UUID) -> HttpResponse:
    """Correct a place's start, entry measure and target (keepers only; everyone else 404)."""
    user = acting_user(request)
    place = access_place_to_change(user, place_id)
    form = ChangePlaceForm(
        _posted(request),
        initial={name: getattr(place, name) for name in services.PLACE_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = call_service(
            form,
            lambda: services.change_place(
                actor=user,
                place=place,
                entry=_entry(data),
            ),
        )
        if changed is not None:
            messages.success(request, f"{place.child.display_name}'s place has been changed")
            return redirect("provision:group", group_id=place.group_id)
    return render_form_page(
        request,
        "provision/place_change.html",
        form,
        place=place,
        scale=place.group.intervention.scale,
    )


@require_http_methods(["GET", "POST"])
def place_exit(request: HttpRequest, place_id: UUID) -> HttpResponse:
    user = acting_user(request)
    place = access_place_to_change(user, place_id)
    form = ExitForm(
        _posted(request),
        initial={"exit_score": place.exit_score, "exit_measured_on": place.exit_measured_on},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = call_service(
            form,
            lambda: services.record_exit(
                actor=user,
                place=place,
                exit_score=data["exit_score"],
                measured_on=data["exit_measured_on"],
            ),
        )
        if recorded is not None:
            messages.success(
                request, f"{place.child.display_name}'s exit measure has been recorded"
            )
            return redirect("provision:group", group_id=place.group_id)
    return render_form_page(
        request,
        "provision/place_exit.html",
        form,
        place=place,
        scale=place.group.intervention.scale,
    )


# --- A pupil's provision -------------------------------------------------------------------


@require_http_methods(["GET"])
def pupil(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Every place a pupil has had, with what they attended, its cost and their progress
    (Code of Practice 6.52–6.54: the "do" and "review" of the graduated approach)."""
    user = acting_user(request)
    child = access_pupil_as_staff(user, child_id)
    provisions = pupil_provision(child)
    return render(
        request,
        "provision/pupil.html",
        {"child": child, "provisions": provisions, "total": total_cost(provisions)},
    )


PUPIL_HEADER = ("Pupil", "Intervention", "Group", "Scale", *PLACE_HEADER)


@require_http_methods(["GET"])
def pupil_export(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """A pupil's provision page's table as CSV (staff who see the pupil; everyone else 404)."""
    user = acting_user(request)
    child = access_pupil_as_staff(user, child_id)
    organisation = access_provision(user)
    rows = [
        [
            child.display_name,
            provision.intervention.name,
            provision.place.group.name,
            provision.intervention.scale.name,
            *_place_cells(provision),
        ]
        for provision in pupil_provision(child)
    ]
    services.record_export(
        actor=user,
        organisation=organisation,
        table="pupil-provision",
        filters={},
        rows=len(rows),
        of=child,
    )
    # No name in the file's name (see `intervention_export`).
    return _csv("pupil-provision", PUPIL_HEADER, rows)


# --- The provision map and reports -----------------------------------------------------------

MAP_HEADER = (
    "Intervention",
    "Area of need",
    "Wave",
    "Groups",
    "Places",
    "Pupils",
    "Sessions planned",
    "Sessions held",
    "Staff hours",
    "Cost (£)",
    "Cost per pupil (£)",
    "Pupils measured",
    "Average gain",
    "Meeting target",
    "Cost per unit of gain (£)",
    "Active",
)


def _map_context(request: HttpRequest) -> tuple[Any, ...]:
    user = acting_user(request)
    organisation = access_provision(user)
    form, window, chosen = _window(request, organisation.pk)
    rows = school_map(organisation.pk, window)
    return user, organisation, form, window, chosen, rows


@require_http_methods(["GET"])
def provision_map(request: HttpRequest) -> HttpResponse:
    """Every intervention with its area, wave, groups, pupils, sessions, cost and impact over
    an academic year: the provision map of Code of Practice 6.76."""
    user, _organisation, form, window, chosen, rows = _map_context(request)
    totals = {
        "places": sum(row.impact.places for row in rows),
        "cost": sum((row.impact.cost for row in rows), Decimal("0.00")),
        "sessions": sum(row.impact.sessions_held for row in rows),
    }
    return render(
        request,
        "provision/map.html",
        {
            "year_form": form,
            "window": window,
            "rows": [(row, rounded(row.impact.average_gain, 1)) for row in rows],
            "totals": totals,
            "query": "&".join(f"{key}={value}" for key, value in chosen.items()),
            "can_keep": keeps_sen_register(user),
        },
    )


def _map_rows(rows: Sequence[Any]) -> list[list[Any]]:
    return [
        [
            row.intervention.name,
            BroadArea(row.intervention.area).label,
            row.intervention.wave,
            row.groups,
            row.impact.places,
            len(row.impact.pupils),
            row.impact.sessions_planned,
            row.impact.sessions_held,
            row.impact.staff_hours,
            _money(row.impact.cost),
            _money(row.impact.cost_per_pupil),
            row.impact.measured,
            _gain(row.impact.average_gain),
            row.impact.target.percent() if row.impact.target.whole else "",
            _money(row.impact.cost_per_unit_of_gain),
            "Yes" if row.intervention.is_active else "No",
        ]
        for row in rows
    ]


@require_http_methods(["GET"])
def provision_map_export(request: HttpRequest) -> HttpResponse:
    user, organisation, _form, _shown, chosen, rows = _map_context(request)
    table = _map_rows(rows)
    services.record_export(
        actor=user, organisation=organisation, table="map", filters=chosen, rows=len(table)
    )
    return _csv("provision-map", MAP_HEADER, table)


class Reports:
    """The three school-wide tables, each with its chart: patterns of need by year group and
    broad area (Code of Practice 6.28–6.35), provision by area and wave, and interventions
    ranked by gain per £100 within a kind of scale ("develop the use of interventions that
    are effective and … remove those that are less so", 6.77)."""

    def __init__(self, organisation_id: UUID, window: Window) -> None:
        rows = school_map(organisation_id, window)
        self.impacts: tuple[InterventionImpact, ...] = tuple(row.impact for row in rows)
        self.need: NeedPattern = patterns_of_need(
            register_entries(organisation_id, timezone.localdate())
        )
        self.provision: tuple[ProvisionCell, ...] = provision_by_area_and_wave(self.impacts)
        self.ranking: tuple[RankedIntervention, ...] = rank_interventions(self.impacts)

    # Each table as a header and rows: what the page shows and the CSV holds.

    def need_table(self) -> tuple[list[str], list[list[Any]]]:
        header = ["Year group", *(area_label(area) for area in AREA_COLUMNS), "Total"]
        rows: list[list[Any]] = [[row.label, *row.counts, row.total] for row in self.need.rows]
        rows.append(["All year groups", *self.need.column_totals, self.need.total])
        return header, rows

    def provision_table(self) -> tuple[list[str], list[list[Any]]]:
        header = [
            "Area of need",
            "Wave",
            "Interventions",
            "Places",
            "Pupils",
            "Staff hours",
            "Cost (£)",
        ]
        rows: list[list[Any]] = [
            [
                cell.area.label,
                cell.wave.value,
                cell.interventions,
                cell.places,
                cell.pupils,
                cell.staff_hours,
                _money(cell.cost),
            ]
            for cell in self.provision
        ]
        return header, rows

    def ranking_table(self) -> tuple[list[str], list[list[Any]]]:
        header = [
            "Scale",
            "Rank",
            "Intervention",
            "Pupils measured",
            "Average gain",
            "Cost per pupil (£)",
            "Gain per £100",
        ]
        rows: list[list[Any]] = [
            [
                ranked.scale_kind.label,
                ranked.position if ranked.position is not None else "Not ranked",
                ranked.impact.name,
                ranked.impact.measured,
                _gain(ranked.impact.average_gain),
                _money(ranked.impact.cost_per_pupil),
                _or_blank(rounded(ranked.impact.gain_per_100_pounds, 2)),
            ]
            for ranked in self.ranking
        ]
        return header, rows

    # The charts.

    def need_chart(self) -> str:
        sections = [
            Section(
                area_label(area),
                [
                    Bar(row.label, row.counts[column], f"{row.counts[column]}")
                    for row in self.need.rows
                ],
            )
            for column, area in enumerate(self.need.columns)
        ]
        return bar_chart(
            identifier="need-chart",
            title="Pupils on the SEN register by broad area of primary need and year group",
            description=(
                f"{self.need.total} pupils on the register. "
                + "; ".join(
                    f"{area_label(area)}: {total}"
                    for area, total in zip(self.need.columns, self.need.column_totals, strict=True)
                )
                + ". The table below has every figure."
            ),
            sections=sections,
        )

    def provision_chart(self) -> str:
        sections = [
            Section(
                area.label,
                [
                    Bar(f"Wave {cell.wave.value}", cell.cost, f"£{cell.cost:,.2f}")
                    for cell in self.provision
                    if cell.area is area
                ],
            )
            for area in BroadArea
        ]
        total = sum((cell.cost for cell in self.provision), Decimal("0.00"))
        return bar_chart(
            identifier="provision-chart",
            title="Cost of provision by area of need and wave",
            description=(
                f"£{total:,.2f} in all. "
                + "; ".join(
                    f"{area.label}: £"
                    + f"{sum((c.cost for c in self.provision if c.area is area), Decimal(0)):,.2f}"
                    for area in BroadArea
                )
                + ". The table below has every figure."
            ),
            sections=sections,
        )

    def ranking_chart(self) -> str:
        kinds = dict.fromkeys(ranked.scale_kind for ranked in self.ranking)
        sections = [
            Section(
                f"Measured as: {kind.label}",
                [
                    Bar(
                        ranked.impact.name,
                        ranked.impact.gain_per_100_pounds or 0,
                        (
                            f"{rounded(ranked.impact.gain_per_100_pounds, 2)} per £100"
                            if ranked.impact.gain_per_100_pounds is not None
                            else "Not ranked"
                        ),
                    )
                    for ranked in self.ranking
                    if ranked.scale_kind is kind
                ],
            )
            for kind in kinds
        ]
        return bar_chart(
            identifier="ranking-chart",
            title="Interventions ranked by average gain per £100 spent per pupil",
            description=(
                "Within each kind of scale, the most effective first; gains on different "
                "scales are not compared. The table below has every figure."
            ),
            sections=sections,
        )


TABLES: dict[str, Callable[[Reports], tuple[list[str], list[list[Any]]]]] = {
    "patterns-of-need": Reports.need_table,
    "provision-by-area-and-wave": Reports.provision_table,
    "interventions-ranked": Reports.ranking_table,
}


@require_http_methods(["GET"])
def reports(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = access_provision(user)
    form, window, chosen = _window(request, organisation.pk)
    found = Reports(organisation.pk, window)
    sections = [
        (
            "patterns-of-need",
            "Patterns of need",
            "Pupils on the SEN register now, by year group and the broad area of their primary "
            "need.",
            _drawn(found.need_chart()),
            *found.need_table(),
        ),
        (
            "provision-by-area-and-wave",
            "Provision by area of need and wave",
            "Interventions, places, pupils, staff time and cost in the year.",
            _drawn(found.provision_chart()),
            *found.provision_table(),
        ),
        (
            "interventions-ranked",
            "Interventions ranked by effectiveness",
            "Average gain per £100 spent per pupil, within each kind of scale. An intervention "
            "with no pupil measured, or that cost nothing, is not ranked.",
            _drawn(found.ranking_chart()),
            *found.ranking_table(),
        ),
    ]
    return render(
        request,
        "provision/reports.html",
        {
            "year_form": form,
            "window": window,
            "sections": sections,
            "query": "&".join(f"{key}={value}" for key, value in chosen.items()),
        },
    )


@require_http_methods(["GET"])
def reports_export(request: HttpRequest, table: str) -> HttpResponse:
    user = acting_user(request)
    organisation = access_provision(user)
    make = TABLES.get(table)
    if make is None:
        raise Http404
    _form, window, chosen = _window(request, organisation.pk)
    header, rows = make(Reports(organisation.pk, window))
    services.record_export(
        actor=user, organisation=organisation, table=table, filters=chosen, rows=len(rows)
    )
    return _csv(table, header, rows)
