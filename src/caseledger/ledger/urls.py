from django.urls import path

from caseledger.ledger import settings_views, views

app_name = "ledger"
urlpatterns = [
    path("cases/<uuid:case_id>/notes/new/", views.note_new, name="note-new"),
    path("cases/<uuid:case_id>/interactions/new/", views.interaction_new, name="interaction-new"),
    path("cases/<uuid:case_id>/events/new/", views.event_new, name="event-new"),
    path("cases/<uuid:case_id>/timeline/", views.case_timeline, name="case-timeline"),
    path("cases/<uuid:case_id>/chronology/", views.case_chronology, name="case-chronology"),
    path(
        "cases/<uuid:case_id>/chronology/print/",
        views.case_chronology,
        {"printing": True},
        name="case-chronology-print",
    ),
    path("cases/<uuid:case_id>/viewers/", views.case_viewers, name="case-viewers"),
    path("children/<uuid:child_id>/chronology/", views.child_chronology, name="child-chronology"),
    path(
        "children/<uuid:child_id>/chronology/print/",
        views.child_chronology,
        {"printing": True},
        name="child-chronology-print",
    ),
    path("notes/<uuid:entry_id>/", views.note_detail, name="note-detail"),
    path("notes/<uuid:entry_id>/edit/", views.note_edit, name="note-edit"),
    path("notes/<uuid:entry_id>/finalise/", views.note_finalise, name="note-finalise"),
    path("notes/<uuid:entry_id>/delete/", views.note_discard, name="note-discard"),
    path("notes/<uuid:entry_id>/correct/", views.note_correct, name="note-correct"),
    path("notes/<uuid:entry_id>/amend/", views.note_amend, name="note-amend"),
    path("notes/<uuid:entry_id>/wrong-child/", views.note_report, name="note-report"),
    path("notes/<uuid:entry_id>/move/", views.note_move, name="note-move"),
]

# Recording settings: an organisation admin's types of contact, topics and recording limit.
urlpatterns += [
    path("settings/recording/", settings_views.recording_settings, name="settings"),
    path(
        "settings/recording/contact-types/new/",
        settings_views.contact_type_add,
        name="contact-type-add",
    ),
    path(
        "settings/recording/contact-types/<uuid:contact_type_id>/",
        settings_views.contact_type_edit,
        name="contact-type-edit",
    ),
    path("settings/recording/topics/new/", settings_views.tag_add, name="tag-add"),
    path("settings/recording/topics/<uuid:tag_id>/", settings_views.tag_edit, name="tag-edit"),
    path("settings/recording/limit/", settings_views.recording_limit, name="recording-limit"),
]
