"""Member and staff pages: dashboard, record forms, uploads, moderation, history.

Views stay thin: they parse the request, call a selector or a service, and render. Permission
rules live in `permissions`; the services check them again on every write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portolan.accounts.decorators import staff_required

from . import permissions, selectors_editor, services, uploads
from .forms import AttachmentForm, InitiativeForm, ModerationForm, PortCenterForm
from .models import Attachment, AttachmentKind, Initiative, PortCenter, PublicationStatus

PAGE_SIZE = 20

View = Callable[..., HttpResponse]


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _next_or(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _edit_url(record: Initiative | PortCenter) -> str:
    return record.get_edit_url()


# --------------------------------------------------------------------------------------------
# Dashboard
# --------------------------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    initiatives = Paginator(selectors_editor.dashboard_initiatives(request.user, status), PAGE_SIZE)
    centers = Paginator(selectors_editor.dashboard_port_centers(request.user, status), PAGE_SIZE)
    can_create = bool(
        permissions.member_organisation_ids(request.user) or permissions.is_staff(request.user)
    )
    return render(
        request,
        "catalogue/editor/dashboard.html",
        {
            "initiatives": initiatives.get_page(request.GET.get("page")),
            "port_centers": centers.get_page(request.GET.get("centers_page")),
            "status": status if status in PublicationStatus.values else "",
            "statuses": PublicationStatus.choices,
            "can_create": can_create,
            "is_staff": permissions.is_staff(request.user),
        },
    )


# --------------------------------------------------------------------------------------------
# Create and edit
# --------------------------------------------------------------------------------------------


def _organisations_or_403(request: HttpRequest) -> Any:
    organisations = permissions.editable_organisations(request.user).only(
        "id", "name", "port_city_id"
    )
    if not permissions.is_staff(request.user) and not permissions.member_organisation_ids(
        request.user
    ):
        raise PermissionDenied
    return organisations


def _after_save(request: HttpRequest, record: Initiative | PortCenter) -> HttpResponse:
    """Handle the "save and submit" button once the record is saved."""
    if request.POST.get("action") == "submit":
        if record.publication_status == PublicationStatus.SUBMITTED:
            messages.success(request, gettext("Saved and sent to the secretariat for review."))
            return HttpResponseRedirect(reverse("catalogue:dashboard"))
        try:
            services.record_submit(actor=request.user, record=record)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(
                request,
                gettext("Saved, but not submitted: %(reason)s") % {"reason": _error_text(exc)},
            )
            return HttpResponseRedirect(_edit_url(record))
        messages.success(request, gettext("Saved and sent to the secretariat for review."))
        return HttpResponseRedirect(reverse("catalogue:dashboard"))
    if record.publication_status == PublicationStatus.SUBMITTED and not permissions.is_staff(
        request.user
    ):
        messages.success(request, gettext("Saved. The changes await the secretariat's review."))
    else:
        messages.success(request, gettext("Saved."))
    return HttpResponseRedirect(_edit_url(record))


@dataclass(frozen=True)
class _Editor:
    """What the create and edit pages need to know of one kind of record."""

    form: type[InitiativeForm] | type[PortCenterForm]
    load: Callable[[Any, str], Any]
    create: Callable[..., Any]
    update: Callable[..., Any]


_EDITORS = {
    Initiative.segment: _Editor(
        InitiativeForm,
        selectors_editor.initiative_for_form,
        services.initiative_create,
        lambda *, actor, record, data: services.initiative_update(
            actor=actor, initiative=record, data=data
        ),
    ),
    PortCenter.segment: _Editor(
        PortCenterForm,
        selectors_editor.port_center_for_form,
        services.port_center_create,
        lambda *, actor, record, data: services.port_center_update(
            actor=actor, port_center=record, data=data
        ),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest, kind: str) -> HttpResponse:
    editor = _EDITORS[kind]
    organisations = _organisations_or_403(request)
    form = editor.form(request.POST or None, organisations=organisations, creating=True)
    if request.method == "GET":
        first = organisations.first() if not permissions.is_staff(request.user) else None
        if first is not None and first.port_city_id:
            form.initial["port_city"] = first.port_city_id
    done = _save_with(
        request,
        form,
        lambda: editor.create(
            actor=request.user,
            organisation=form.cleaned_data["organisation"],
            data=form.to_data(),
        ),
    )
    return done or render(
        request, "catalogue/editor/record_form.html", {"form": form, "kind": kind}
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    editor = _EDITORS[kind]
    record = editor.load(request.user, slug)
    form = (
        editor.form(request.POST)
        if request.method == "POST"
        else editor.form(initial=editor.form.initial_from(record))
    )
    done = _save_with(
        request,
        form,
        lambda: editor.update(actor=request.user, record=record, data=form.to_data()),
    )
    return done or render(
        request,
        "catalogue/editor/record_form.html",
        {"form": form, "record": record, "kind": kind, "title": record.display_title},
    )


def _save_with(request: HttpRequest, form: Any, save: Callable[[], Any]) -> HttpResponse | None:
    """On a valid POST, run the service; its validation errors go back onto the form. Returns the
    redirect after a successful save, or None when the form must be shown (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        record = save()
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None
    return _after_save(request, record)


# --------------------------------------------------------------------------------------------
# Workflow buttons for members
# --------------------------------------------------------------------------------------------


@login_required
@require_POST
def record_submit(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    record = selectors_editor.record_for_editing(request.user, kind, slug)
    try:
        services.record_submit(actor=request.user, record=record)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, gettext("Sent to the secretariat for review."))
    return HttpResponseRedirect(_next_or(request, reverse("catalogue:dashboard")))


@login_required
@require_POST
def mark_reviewed(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    record = selectors_editor.record_for_editing(request.user, kind, slug)
    services.record_mark_reviewed(actor=request.user, record=record)  # type: ignore[arg-type]
    messages.success(request, gettext("Marked as reviewed today."))
    return HttpResponseRedirect(_next_or(request, reverse("catalogue:dashboard")))


# --------------------------------------------------------------------------------------------
# Attachments
# --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attachment_upload(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    record = selectors_editor.record_for_editing(request.user, kind, slug)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attachment_add(
                actor=request.user,  # type: ignore[arg-type]
                record=record,
                kind=form.cleaned_data["kind"],
                upload=upload,
                title=form.cleaned_data["title"],
                size=upload.size,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, gettext("File added."))
            return HttpResponseRedirect(
                reverse("catalogue:attachment_upload", kwargs={"kind": kind, "slug": slug})
            )
    attachments = Attachment.objects.filter(**record.owned())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "catalogue/editor/attachments.html",
        {
            "record": record,
            "kind": kind,
            "form": form,
            "attachments": attachments,
            "edit_url": _edit_url(record),
            "max_image": settings.PORTOLAN_MAX_IMAGE_BYTES,
            "max_document": settings.PORTOLAN_MAX_DOCUMENT_BYTES,
        },
        status=status,
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors_editor.attachment_for_editing(request.user, pk)
    record = attachment.initiative or attachment.port_center
    assert record is not None
    try:
        services.attachment_delete(actor=request.user, attachment=attachment)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, gettext("File removed."))
    return HttpResponseRedirect(
        reverse(
            "catalogue:attachment_upload",
            kwargs={"kind": selectors_editor.kind_of(record), "slug": record.slug},
        )
    )


@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an uploaded file with its record's visibility: drafts only to their editors."""
    item = selectors_editor.attachment_for_download(request.user, pk)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    stored_name = item.file.name or ""
    extension = stored_name.rsplit(".", 1)[-1].lower() if "." in stored_name else ""
    filename = f"{slugify(item.title) or 'file'}.{extension}" if extension else "file"
    is_document = item.kind == AttachmentKind.DOCUMENT
    response = FileResponse(
        handle,
        as_attachment=is_document,
        filename=filename,
        content_type=uploads.content_type_for(stored_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    record = item.initiative or item.port_center
    if record is not None and record.publication_status == PublicationStatus.PUBLISHED:
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------------------------


@login_required
@require_GET
def history(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    record = selectors_editor.record_for_editing(request.user, kind, slug)
    entries = selectors_editor.history_entries(record)
    return render(
        request,
        "catalogue/editor/history.html",
        {
            "record": record,
            "kind": kind,
            "entries": entries,
            "events": selectors_editor.moderation_log(record),
            "can_restore": permissions.can_moderate(request.user),
            "edit_url": _edit_url(record),
        },
    )


@staff_required
@require_POST
def history_restore(request: HttpRequest, kind: str, slug: str, history_id: int) -> HttpResponse:
    record = selectors_editor.record_for_editing(request.user, kind, slug)
    try:
        services.record_restore(
            actor=request.user,  # type: ignore[arg-type]
            record=record,
            history_id=history_id,
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, gettext("The earlier version has been restored."))
    return HttpResponseRedirect(reverse("catalogue:history", kwargs={"kind": kind, "slug": slug}))


# --------------------------------------------------------------------------------------------
# Staff
# --------------------------------------------------------------------------------------------


@staff_required
@require_GET
def moderation(request: HttpRequest) -> HttpResponse:
    records = selectors_editor.moderation_queue()
    items = [
        {
            "record": r,
            "kind": selectors_editor.kind_of(r),
            "is_initiative": r.record_type == "initiative",
        }
        for r in records
    ]
    return render(
        request,
        "catalogue/editor/moderation.html",
        {"items": items, "form": ModerationForm()},
    )


_MODERATION_SERVICES: dict[str, Callable[..., None]] = {
    "approve": services.record_approve,
    "request_changes": services.record_request_changes,
    "reject": services.record_reject,
}


@staff_required
@require_POST
def moderate(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    record = selectors_editor.record_for_editing(request.user, kind, slug)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return HttpResponseRedirect(reverse("catalogue:moderation"))
    action = form.cleaned_data["action"]
    kwargs: dict[str, Any] = {"actor": request.user, "record": record}
    if action != "approve":
        kwargs["message"] = form.cleaned_data["message"]
    try:
        _MODERATION_SERVICES[action](**kwargs)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        done = {
            "approve": gettext("“%(title)s” is published."),
            "request_changes": gettext("Changes requested for “%(title)s”."),
            "reject": gettext("“%(title)s” was rejected."),
        }[action]
        messages.success(request, done % {"title": str(record)})
    return HttpResponseRedirect(reverse("catalogue:moderation"))


@staff_required
@require_GET
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    summary = selectors_editor.staff_summary()
    return render(request, "catalogue/editor/staff_dashboard.html", {"summary": summary})
