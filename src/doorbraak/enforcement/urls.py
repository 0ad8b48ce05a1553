from django.urls import path

from . import views

urlpatterns = [
    path("handhaving/", views.action_list, name="enforcement_actions"),
    path("handhaving/acties/nieuw/", views.action_create, name="enforcement_action_create"),
    path("handhaving/acties/<int:pk>/", views.action_detail, name="enforcement_action"),
    path(
        "handhaving/acties/<int:pk>/bevindingen/",
        views.action_findings,
        name="enforcement_action_findings",
    ),
    path("handhaving/besluiten/", views.decision_list, name="enforcement_decisions"),
    path("handhaving/besluiten/nieuw/", views.decision_create, name="enforcement_decision_create"),
    path("handhaving/besluiten/<int:pk>/", views.decision_detail, name="enforcement_decision"),
    path(
        "handhaving/besluiten/<int:pk>/goedkeuren/",
        views.decision_approve,
        name="enforcement_decision_approve",
    ),
    path(
        "handhaving/besluiten/<int:pk>/nemen/",
        views.decision_issue,
        name="enforcement_decision_issue",
    ),
    path(
        "handhaving/besluiten/<int:pk>/bezwaar/",
        views.objection_create,
        name="enforcement_objection_create",
    ),
    path(
        "handhaving/bezwaren/<int:pk>/uitkomst/",
        views.objection_decide,
        name="enforcement_objection_decide",
    ),
    path(
        "handhaving/dossier/panden/<str:bag_id>/",
        views.ledger_premises,
        name="enforcement_ledger_premises",
    ),
    path(
        "handhaving/dossier/bedrijven/<str:kvk_number>/",
        views.ledger_company,
        name="enforcement_ledger_company",
    ),
    path("handhaving/precisie/", views.precision_view, name="enforcement_precision"),
    path("handhaving/trainingen/", views.trainings, name="enforcement_trainings"),
    path("handhaving/backtest/", views.backtest_view, name="enforcement_backtest"),
]
