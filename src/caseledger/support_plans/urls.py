from django.urls import path

from caseledger.support_plans import views

app_name = "support_plans"
PLAN = "pupils/<uuid:child_id>/support-plan/"
urlpatterns = [
    # Issue 8: a pupil's SEN support plan, run as assess-plan-do-review cycles.
    path(PLAN, views.plan, name="plan"),
    path(f"{PLAN}start/", views.start, name="start"),
    path(f"{PLAN}change/", views.change, name="change"),
    path(f"{PLAN}targets/add/", views.target_add, name="target-add"),
    path(f"{PLAN}targets/<uuid:target_id>/change/", views.target_change, name="target-change"),
    path(f"{PLAN}review/", views.review, name="review"),
    path(f"{PLAN}meetings/add/", views.meeting_add, name="meeting-add"),
    path(f"{PLAN}access/", views.access, name="access"),
    path(f"{PLAN}cycles/<uuid:cycle_id>/your-views/", views.add_views, name="add-views"),
    path(f"{PLAN}summary/", views.summary, name="summary"),
    path(f"{PLAN}summary.pdf", views.summary_pdf, name="summary-pdf"),
    path("support-plans/reviews/", views.reviews, name="reviews"),
]
