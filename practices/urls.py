from django.urls import path

from . import views

urlpatterns = [
    path("", views.officer_dashboard, name="officer_dashboard"),
]
