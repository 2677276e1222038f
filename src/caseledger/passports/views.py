"""The pupil passport's pages. Thin: check access, bind a form, call one service, redirect or
render.

Staff who see the pupil (`pupils_seen_by_staff`) and the parents the school shares the
pupil's records with read the passport; the SENCO and admins write new versions. Everyone
else gets a 404, whether or not the pupil or the passport exists."""

from __future__ import annotations

from typing import BinaryIO, cast
from uuid import UUID

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods

from caseledger.audit.models import Action
from caseledger.passports import services
from caseledger.passports.forms import CHOOSE_PHOTO_AGAIN, PassportForm
from caseledger.passports.models import TEXT_PARTS, PassportVersion
from caseledger.people.models import Child
from caseledger.sen.access import (
    access_pupil,
    access_pupil_to_change,
    is_parent_viewer,
    keeps_sen_register,
)
from caseledger.ui.pages import acting_user, call_service, render_form_page
from caseledger.vault import storage
from caseledger.vault.uploads import TOO_LARGE

VERSIONS_PER_PAGE = 20


def _version_page(
    request: HttpRequest,
    child: Child,
    version: PassportVersion | None,
    *,
    current: PassportVersion | None,
    version_route: bool,
) -> HttpResponse:
    """The passport page (`version_route` False: the current version) or a version's own
    page. Both list every version, each linked to its own page, from the first: a version
    is found by following a link, never by typing its number."""
    user = acting_user(request)
    if version is not None:
        services.record_passport_read(actor=user, version=version, action=Action.PASSPORT_VIEWED)
    parent = is_parent_viewer(user)
    versions = Paginator(services.versions_of(child), VERSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "passports/passport_parent.html" if parent else "passports/passport.html",
        {
            "child": child,
            "first_name": services.first_name(child),
            "version": version,
            "is_current": version is not None and current is not None and version.pk == current.pk,
            "current_number": current.number if current is not None else None,
            "version_route": version_route,
            "versions": versions,
            "can_write": keeps_sen_register(user) and not parent,
        },
    )


@require_http_methods(["GET"])
def passport(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """The pupil's current passport, and the list of its versions. Audited."""
    child = access_pupil(acting_user(request), child_id)
    current = services.current_version(child)
    return _version_page(request, child, current, current=current, version_route=False)


@require_http_methods(["GET"])
def version(request: HttpRequest, child_id: UUID, number: int) -> HttpResponse:
    """One version, current or earlier, as it was agreed. Audited."""
    child = access_pupil(acting_user(request), child_id)
    shown = services.version_of(child, number)
    if shown is None:
        raise Http404
    current = services.current_version(child)
    return _version_page(request, child, shown, current=current, version_route=True)


def _initial(current: PassportVersion | None) -> dict[str, object]:
    """A new version starts from the current one: a passport is reviewed, not rewritten."""
    if current is None:
        return {}
    initial: dict[str, object] = {
        "key_summary": current.key_summary,
        "key_summary_with": current.key_summary_with,
        "access_arrangements": list(current.access_arrangements),
        "access_other": current.access_other,
        "access_with": current.access_with,
    }
    for part, _ in TEXT_PARTS:
        initial[part] = getattr(current, part)
        initial[f"{part}_with"] = getattr(current, f"{part}_with")
    return initial


@require_http_methods(["GET", "POST"])
def passport_new(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Write a new version (the SENCO and admins), starting from the current one."""
    user = acting_user(request)
    child = access_pupil_to_change(user, child_id)
    current = services.current_version(child)
    has_photo = current is not None and bool(current.photo_id)
    posted = request.method == "POST"
    form = PassportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        child=child,
        has_photo=has_photo,
        initial=_initial(current),
    )
    if posted:
        too_large = bool(request.META.get(TOO_LARGE))
        valid = form.is_valid()
        if too_large:
            form.errors.pop("photo", None)
            form.add_error("photo", "The photo must be smaller than 5 MB")
        if valid and not too_large:
            upload = request.FILES.get("photo")
            photo = (
                services.PhotoUpload(source=cast(BinaryIO, upload), size=upload.size or 0)
                if isinstance(upload, UploadedFile)
                else None
            )
            agreed = call_service(
                form,
                lambda: services.agree_version(
                    actor=user,
                    child=child,
                    content=form.content(),
                    photo=photo,
                    keep_photo=not form.cleaned_data.get("remove_photo", False),
                ),
            )
            if agreed is not None:
                messages.success(
                    request, f"Version {agreed.number} of {child.display_name}'s passport saved"
                )
                return redirect("passports:passport", child_id=child.id)
    return render_form_page(
        request,
        "passports/passport_new.html",
        form,
        child=child,
        current=current,
        choose_again=CHOOSE_PHOTO_AGAIN if posted else "",
    )


# The photo is shown by the passport's own page (same origin) and may load nothing itself.
@csp_override({"default-src": [CSP.NONE], "frame-ancestors": [CSP.SELF]})
@require_http_methods(["GET"])
def photo(request: HttpRequest, child_id: UUID, number: int) -> HttpResponseBase:
    """A version's photo, through the same access check as the passport: never a public
    address. Not audited on its own: the page that shows it logged the read."""
    child = access_pupil(acting_user(request), child_id)
    shown = services.version_of(child, number)
    if shown is None or not shown.photo_id:
        raise Http404
    extension = "png" if shown.photo_kind == "png" else "jpg"
    response = FileResponse(
        storage.open_stored(shown.photo_id),
        as_attachment=False,
        filename=f"passport-photo.{extension}",
        content_type=shown.photo_media_type,
    )
    # A child's photo: never kept by a browser or proxy (ASVS 14.3.2).
    response["Cache-Control"] = "no-store, private"
    return response


@require_http_methods(["GET"])
def passport_pdf(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """The current version on one printable A4 page. Audited as a download."""
    user = acting_user(request)
    child = access_pupil(user, child_id)
    current = services.current_version(child)
    if current is None:
        raise Http404
    printed = services.printed(current, child=child)
    services.record_passport_read(actor=user, version=current, action=Action.PASSPORT_DOWNLOADED)
    response = HttpResponse(printed.content, content_type="application/pdf")
    # The file name says what it is and when it was agreed, never whose it is: file names
    # end up in download folders, email attachments and logs.
    name = f"pupil-passport-version-{current.number}-{current.agreed_on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
