"""The organisers' privacy pages, under /organiser/privacy/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.organiser_privacy, name="organiser_privacy"),
    path("processing/", views.organiser_processing, name="organiser_privacy_processing"),
    path("people/", views.organiser_people, name="organiser_privacy_people"),
    path("people/<int:pk>/erase/", views.organiser_person_erase,
         name="organiser_person_erase"),
]
