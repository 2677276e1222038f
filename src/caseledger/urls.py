from django.urls import include, path

urlpatterns = [
    path("", include("caseledger.ui.urls")),
    path("accounts/", include("caseledger.accounts.urls")),
    path("children/", include("caseledger.people.urls")),
    path("cases/", include("caseledger.cases.urls")),
    path("", include("caseledger.ledger.urls")),
    path("", include("caseledger.actions.urls")),
    path("", include("caseledger.workdays.urls")),
    path("", include("caseledger.vault.urls")),
    path("", include("caseledger.search.urls")),
    path("", include("caseledger.quality.urls")),
    path("", include("caseledger.compliance.urls")),
    path("", include("caseledger.case_audits.urls")),
    path("", include("caseledger.ehcp.urls")),
    path("", include("caseledger.sen.urls")),
    path("", include("caseledger.provision.urls")),
    path("", include("caseledger.passports.urls")),
    path("", include("caseledger.support_plans.urls")),
]

handler400 = "caseledger.ui.views.bad_request"
handler403 = "caseledger.ui.views.permission_denied"
handler404 = "caseledger.ui.views.page_not_found"
handler500 = "caseledger.ui.views.server_error"
