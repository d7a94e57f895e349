from django.urls import path

from . import views

urlpatterns = [
    path("", views.juror_dashboard, name="juror_dashboard"),
    path("invitation/<str:token>/", views.jury_invitation_accept_view,
         name="jury_invitation_accept"),
]
