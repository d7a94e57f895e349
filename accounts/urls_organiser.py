"""The organiser's pages of accounts, under /organiser/lockouts/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.lockout_list, name="organiser_lockouts"),
    path("unlock/", views.lockout_unlock, name="organiser_lockout_unlock"),
]
