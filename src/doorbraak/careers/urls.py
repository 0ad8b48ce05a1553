from django.urls import path

from . import views

urlpatterns = [
    path("casussen/", views.case_list, name="case_list"),
    path("casussen/<int:pk>/", views.case_detail, name="case_detail"),
    path("casussen/<int:pk>/gezinsbord/", views.family_board, name="family_board"),
    path("casussen/<int:pk>/contact/", views.contact_create, name="contact_create"),
    path("casussen/<int:pk>/tijdlijn/", views.record_create, name="record_create"),
    path("casussen/<int:pk>/relatie/", views.relation_create, name="relation_create"),
    path("casussen/<int:pk>/zrm/", views.zrm_create, name="zrm_create"),
    path("casussen/<int:pk>/toets/", views.review_create, name="review_create"),
    path("casussen/<int:pk>/plan/", views.plan_roles, name="plan_roles"),
    path("casussen/<int:pk>/doel/", views.goal_create, name="goal_create"),
    path("casussen/<int:pk>/actie/", views.action_create, name="action_create"),
    path("casussen/<int:pk>/programma/", views.enrol_create, name="enrol_create"),
    path("casussen/<int:pk>/coach/", views.coach_match, name="coach_match"),
    path("acties/<int:pk>/status/", views.action_status, name="action_status"),
    path("inschrijvingen/<int:pk>/", views.enrolment_update, name="enrolment_update"),
    path("meldingen/<int:pk>/afhandelen/", views.alert_resolve, name="alert_resolve"),
    path("aanmeldingen/", views.concern_list, name="concern_list"),
    path("aanmeldingen/nieuw/", views.concern_create, name="concern_create"),
    path("aanmeldingen/<int:pk>/", views.concern_decide, name="concern_decide"),
    path("interventies/", views.catalogue, name="catalogue"),
    path("interventies/programmas/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("vog-wijzer/", views.vog_list, name="vog_list"),
    path("vog-wijzer/nieuw/", views.vog_edit, name="vog_create"),
    path("vog-wijzer/<int:pk>/", views.vog_edit, name="vog_edit"),
    path("resultaten/", views.outcomes, name="outcomes"),
]
