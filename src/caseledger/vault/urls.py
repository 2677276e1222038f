from django.urls import path

from caseledger.vault import views

app_name = "vault"

urlpatterns = [
    path("settings/document-categories/add/", views.category_add, name="category-add"),
    path(
        "settings/document-categories/<uuid:category_id>/",
        views.category_edit,
        name="category-edit",
    ),
    path("cases/<uuid:case_id>/documents/", views.case_documents_page, name="case-documents"),
    path("cases/<uuid:case_id>/documents/new/", views.document_new, name="document-new"),
    path("documents/<uuid:document_id>/", views.document_detail, name="document-detail"),
    path("documents/<uuid:document_id>/file/", views.document_file, name="document-file"),
    path("documents/<uuid:document_id>/change/", views.document_change, name="document-change"),
    path(
        "documents/<uuid:document_id>/new-version/",
        views.document_version,
        name="document-version",
    ),
]
