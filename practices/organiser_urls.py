from django.urls import path

from . import organiser_views as views

urlpatterns = [
    path("", views.edition_list, name="organiser_entry_editions"),
    path("entry/<int:pk>/", views.entry_decide, name="organiser_entry_decide"),
    path("practice/<int:pk>/classification/", views.practice_classification,
         name="organiser_practice_classification"),
    path("topics/", views.topic_list, name="organiser_topics"),
    path("topics/<int:pk>/", views.topic_edit, name="organiser_topic_edit"),
    path("<slug:slug>/", views.entry_list, name="organiser_entry_list"),
    path("<slug:slug>/export.csv", views.entry_export, name="organiser_entry_export"),
]
