from django.urls import path

from caseledger.actions import views

app_name = "actions"
urlpatterns = [
    path("actions/", views.my_actions, name="my-actions"),
    path("actions/overdue/", views.overdue_actions, name="overdue-actions"),
    path("actions/calendar/", views.calendar_feed, name="calendar-feed"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/settings/", views.reminder_settings, name="reminder-settings"),
    path("calendar/<str:token>/actions.ics", views.calendar_ics, name="calendar-ics"),
    path("cases/<uuid:case_id>/actions/", views.case_actions, name="case-actions"),
    path("cases/<uuid:case_id>/actions/new/", views.action_add, name="action-add"),
    path("actions/<uuid:action_id>/edit/", views.action_edit, name="action-edit"),
    path("actions/<uuid:action_id>/done/", views.action_done, name="action-done"),
    path("actions/<uuid:action_id>/cancel/", views.action_cancel, name="action-cancel"),
    path("actions/<uuid:action_id>/exception/", views.action_exception, name="action-exception"),
    path(
        "notes/<uuid:entry_id>/promise-action/",
        views.action_from_promise,
        name="action-from-promise",
    ),
]
