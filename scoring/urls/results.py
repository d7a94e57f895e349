"""The organiser's results pages, under /organiser/results/."""

from django.urls import path

from ..views import results as views

urlpatterns = [
    path("<slug:slug>/", views.results, name="organiser_results"),
    path("<slug:slug>/runs/", views.run_start, name="organiser_run_start"),
    path("<slug:slug>/runs/<int:run_id>/progress/", views.run_progress,
         name="organiser_run_progress"),
    path("<slug:slug>/runs/<int:run_id>/publish/", views.run_publish,
         name="organiser_run_publish"),
    path("<slug:slug>/runs/<int:run_id>/unpublish/", views.run_unpublish,
         name="organiser_run_unpublish"),
]
