"""The organisation admin's settings page for the recording-quality assistant. Thin: check
access, bind the form, call the service. Everyone but the organisation's admins gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from caseledger.ledger.settings_views import administered_organisation
from caseledger.quality import services
from caseledger.quality.forms import QualitySettingsForm
from caseledger.ui.pages import acting_user, call_service, render_form_page


@require_http_methods(["GET", "POST"])
def quality_settings(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = administered_organisation(user)
    form = QualitySettingsForm(
        request.POST or None,
        initial=QualitySettingsForm.initial_from(services.settings_of(organisation)),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = call_service(
            form,
            lambda: services.change_settings(
                actor=user,
                organisation=organisation,
                enabled=data["enabled"],
                blocking=data["blocking"],
                glossary=data["glossary"],
                lexicon=data["lexicon"],
                guide_length_words=data["guide_length_words"],
            ),
        )
        if changed is not None:
            messages.success(request, "The recording assistant's settings have been saved")
            return redirect("ledger:settings")
    return render_form_page(request, "quality/settings.html", form, organisation=organisation)
