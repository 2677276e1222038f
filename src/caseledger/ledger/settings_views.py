"""Recording settings pages for an organisation admin. Thin: check access, bind a form, call
one service (`configuration.py`), respond.

Everyone else, admins of other organisations included, gets a 404 for every page here, and
for another organisation's type of contact or topic, exactly as if it did not exist. The
forms live here too, beside the only pages that use them.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from caseledger.accounts.models import Organisation, User
from caseledger.domain.quality import CODE_NAMES
from caseledger.ledger import configuration
from caseledger.ledger.configuration import TAG_NAME_LENGTH, can_change_recording_settings
from caseledger.ledger.models import ContactType, Tag
from caseledger.quality import services as quality
from caseledger.ui.forms import GovukForm, yes_no_field
from caseledger.ui.pages import acting_user, call_service, render_form_page
from caseledger.vault.services import categories_for_settings

# --- Access ----------------------------------------------------------------------------------


def administered_organisation(user: User) -> Organisation:
    """The organisation whose recording settings this user changes, or 404."""
    organisation = user.organisation
    if organisation is None or not can_change_recording_settings(user, organisation):
        raise Http404
    return organisation


def access_contact_type(user: User, contact_type_id: UUID) -> ContactType:
    organisation = administered_organisation(user)
    found = ContactType.objects.filter(organisation=organisation, pk=contact_type_id).first()
    if found is None:
        raise Http404
    return found


def access_tag(user: User, tag_id: UUID) -> Tag:
    organisation = administered_organisation(user)
    found = Tag.objects.filter(organisation=organisation, pk=tag_id).first()
    if found is None:
        raise Http404
    return found


# --- Forms -------------------------------------------------------------------------------------


def _answer(value: bool) -> str:
    """A bool as the radios' value; a disabled field is cleaned from its initial value, which
    must then be one of the choices."""
    return "yes" if value else "no"


class ContactTypeForm(GovukForm):
    name = forms.CharField(
        label="Name",
        help_text="As people will see it in the list, for example Family group conference",
        max_length=configuration.CONTACT_TYPE_NAME_LENGTH,
        error_messages={
            "required": "Enter the name of the type of contact",
            "max_length": (
                "The name of the type of contact must be "
                f"{configuration.CONTACT_TYPE_NAME_LENGTH} characters or fewer"
            ),
        },
    )
    is_visit = yes_no_field(
        label="Is it a visit?",
        help_text="A visit note asks whether the visit was statutory, and whether it was announced",
        required_message="Select yes if it is a visit",
    )
    visit_to_child = yes_no_field(
        label="Is it a visit to a child?",
        help_text=(
            "The note asks whether the child was seen, and seen alone, and can be recorded "
            "on the case of each brother and sister with an open case"
        ),
        required_message="Select yes if it is a visit to a child",
    )
    reopenable = yes_no_field(
        label="Can an organisation admin reopen a finalised note of this type to amend it?",
        help_text="Only visit notes can be reopened. Every version is kept.",
        required_message="Select yes if an organisation admin can reopen a note of this type",
    )


class ContactTypeEditForm(ContactTypeForm):
    is_active = yes_no_field(
        label="Offer it on new case notes?",
        help_text="If not, notes already recorded with it keep it",
        required_message="Select yes if it should be offered on new case notes",
    )

    def __init__(self, *args: Any, on_final_notes: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if on_final_notes:
            # Those notes read by these answers (configuration.VISIT_FIELDS).
            for name in configuration.VISIT_FIELDS:
                field = self.fields[name]
                field.disabled = True
                field.help_text = "Finalised notes have this type of contact, so this cannot change"


class TagForm(GovukForm):
    name = forms.CharField(
        label="Name",
        help_text="For example, Annual review",
        max_length=TAG_NAME_LENGTH,
        error_messages={
            "required": "Enter the name of the topic",
            "max_length": f"The name of the topic must be {TAG_NAME_LENGTH} characters or fewer",
        },
    )


class TagEditForm(TagForm):
    is_active = yes_no_field(
        label="Offer it on new case notes?",
        help_text="If not, notes already filed under it keep it",
        required_message="Select yes if it should be offered on new case notes",
    )


class RecordingLimitForm(GovukForm):
    working_days = forms.IntegerField(
        label="Number of working days",
        help_text=(
            f"A whole number from {configuration.FEWEST_WORKING_DAYS} to "
            f"{configuration.MOST_WORKING_DAYS}. Weekends and bank holidays in England and "
            "Wales are not working days."
        ),
        min_value=configuration.FEWEST_WORKING_DAYS,
        max_value=configuration.MOST_WORKING_DAYS,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-2", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": configuration.RECORDING_LIMIT_MESSAGE,
            "invalid": configuration.RECORDING_LIMIT_MESSAGE,
            "min_value": configuration.RECORDING_LIMIT_MESSAGE,
            "max_value": configuration.RECORDING_LIMIT_MESSAGE,
        },
    )


# --- Pages -------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def recording_settings(request: HttpRequest) -> HttpResponse:
    organisation = administered_organisation(acting_user(request))
    return render(
        request,
        "ledger/settings.html",
        {
            "organisation": organisation,
            "contact_types": list(configuration.contact_types_of(organisation)),
            "tags": list(configuration.tags_of(organisation)),
            "categories": list(categories_for_settings(organisation)),
            "quality": _quality_summary(organisation),
        },
    )


def _quality_summary(organisation: Organisation) -> dict[str, Any]:
    chosen = quality.settings_of(organisation)
    return {
        "settings": chosen,
        "enabled_names": [CODE_NAMES[code] for code in chosen.enabled],
        "blocking_names": [CODE_NAMES[code] for code in chosen.blocking],
    }


@require_http_methods(["GET", "POST"])
def contact_type_add(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = administered_organisation(user)
    form = ContactTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        added = call_service(
            form,
            lambda: configuration.add_contact_type(
                actor=user,
                organisation=organisation,
                name=data["name"],
                is_visit=data["is_visit"],
                visit_to_child=data["visit_to_child"],
                reopenable=data["reopenable"],
            ),
        )
        if added is not None:
            messages.success(request, f"{added.name} has been added to the types of contact")
            return redirect("ledger:settings")
    return render_form_page(
        request, "ledger/settings_contact_type.html", form, heading="Add a type of contact"
    )


@require_http_methods(["GET", "POST"])
def contact_type_edit(request: HttpRequest, contact_type_id: UUID) -> HttpResponse:
    user = acting_user(request)
    contact_type = access_contact_type(user, contact_type_id)
    form = ContactTypeEditForm(
        request.POST or None,
        on_final_notes=configuration.is_on_final_notes(contact_type),
        initial={
            "name": contact_type.name,
            **{
                name: _answer(getattr(contact_type, name))
                for name in configuration.CONTACT_TYPE_FIELDS
                if name != "name"
            },
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = call_service(
            form,
            lambda: configuration.change_contact_type(
                actor=user,
                contact_type=contact_type,
                name=data["name"],
                is_visit=data["is_visit"],
                visit_to_child=data["visit_to_child"],
                reopenable=data["reopenable"],
                is_active=data["is_active"],
            ),
        )
        if changed is not None:
            messages.success(request, f"{changed.name} has been saved")
            return redirect("ledger:settings")
    return render_form_page(
        request,
        "ledger/settings_contact_type.html",
        form,
        heading=f"Change {contact_type.name}",
        contact_type=contact_type,
    )


@require_http_methods(["GET", "POST"])
def tag_add(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = administered_organisation(user)
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = call_service(
            form,
            lambda: configuration.add_tag(
                actor=user, organisation=organisation, name=form.cleaned_data["name"]
            ),
        )
        if added is not None:
            messages.success(request, f"{added.name} has been added to the topics")
            return redirect("ledger:settings")
    return render_form_page(request, "ledger/settings_tag.html", form, heading="Add a topic")


@require_http_methods(["GET", "POST"])
def tag_edit(request: HttpRequest, tag_id: UUID) -> HttpResponse:
    user = acting_user(request)
    tag = access_tag(user, tag_id)
    form = TagEditForm(
        request.POST or None, initial={"name": tag.name, "is_active": _answer(tag.is_active)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = call_service(
            form,
            lambda: configuration.change_tag(
                actor=user, tag=tag, name=data["name"], is_active=data["is_active"]
            ),
        )
        if changed is not None:
            messages.success(request, f"{changed.name} has been saved")
            return redirect("ledger:settings")
    return render_form_page(
        request, "ledger/settings_tag.html", form, heading=f"Change {tag.name}", tag=tag
    )


@require_http_methods(["GET", "POST"])
def recording_limit(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = administered_organisation(user)
    form = RecordingLimitForm(
        request.POST or None, initial={"working_days": organisation.recording_limit_working_days}
    )
    if request.method == "POST" and form.is_valid():
        working_days = form.cleaned_data["working_days"]
        changed = call_service(
            form,
            lambda: configuration.set_recording_limit(
                actor=user, organisation=organisation, working_days=working_days
            ),
        )
        if changed is not None:
            days = changed.recording_limit_working_days
            messages.success(
                request,
                f"Case notes are now due within {days} working day{'s' if days != 1 else ''}",
            )
            return redirect("ledger:settings")
    return render_form_page(
        request, "ledger/settings_recording_limit.html", form, organisation=organisation
    )
