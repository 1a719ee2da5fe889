from django.urls import path

from . import views_editor as views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    # One create and one edit view for every kind of record; the names stay per kind.
    path(
        "editor/initiatives/new/",
        views.record_create,
        {"kind": "initiatives"},
        name="initiative_create",
    ),
    path(
        "editor/initiatives/<slug:slug>/edit/",
        views.record_edit,
        {"kind": "initiatives"},
        name="initiative_edit",
    ),
    path(
        "editor/port-centers/new/",
        views.record_create,
        {"kind": "port-centers"},
        name="port_center_create",
    ),
    path(
        "editor/port-centers/<slug:slug>/edit/",
        views.record_edit,
        {"kind": "port-centers"},
        name="port_center_edit",
    ),
    path("editor/<str:kind>/<slug:slug>/submit/", views.record_submit, name="record_submit"),
    path("editor/<str:kind>/<slug:slug>/reviewed/", views.mark_reviewed, name="mark_reviewed"),
    path(
        "editor/<str:kind>/<slug:slug>/attachments/",
        views.attachment_upload,
        name="attachment_upload",
    ),
    path("editor/attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("editor/<str:kind>/<slug:slug>/history/", views.history, name="history"),
    path(
        "editor/<str:kind>/<slug:slug>/history/<int:history_id>/restore/",
        views.history_restore,
        name="history_restore",
    ),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("staff/", views.staff_dashboard, name="staff_dashboard"),
    path("staff/moderation/", views.moderation, name="moderation"),
    path("staff/moderation/<str:kind>/<slug:slug>/", views.moderate, name="moderate"),
]
