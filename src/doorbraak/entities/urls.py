from django.urls import path

from . import views

urlpatterns = [
    path("entiteiten/", views.review_queue, name="entity_review"),
    path("entiteiten/oordeel/", views.judge, name="entity_judge"),
    path("entiteiten/koppelen/", views.start_linkage, name="entity_link"),
    path("entiteiten/export/", views.ftm_export, name="entity_export"),
    path("entiteiten/zoeken/", views.entity_search, name="entity_search"),
    path("entiteiten/<str:entity_id>/", views.entity_detail, name="entity_detail"),
]
