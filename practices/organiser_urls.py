from django.urls import path

from . import organiser_views as views

urlpatterns = [
    path("", views.edition_list, name="organiser_entry_editions"),
    path("entry/<int:pk>/", views.entry_decide, name="organiser_entry_decide"),
    path("<slug:slug>/", views.entry_list, name="organiser_entry_list"),
    path("<slug:slug>/export.csv", views.entry_export, name="organiser_entry_export"),
]
