"""The organiser's jury pages, under /organiser/jury/."""

from django.urls import path

from ..views import organiser as views
from ..views import rounds

urlpatterns = [
    path("", views.jury_editions, name="organiser_jury_editions"),
    path("sheets/<int:sheet_id>/", views.jury_sheet_audit, name="organiser_sheet_audit"),
    path("<slug:slug>/", views.jury_members_view, name="organiser_jury"),
    path("<slug:slug>/assignments/", views.jury_assignments, name="organiser_jury_assignments"),
    path("<slug:slug>/assignments/auto/", views.jury_assignments_auto,
         name="organiser_jury_assignments_auto"),
    path("<slug:slug>/assignments/everyone/", views.jury_assignments_everyone,
         name="organiser_jury_assignments_everyone"),
    path("<slug:slug>/assignments/add/", views.jury_assignment_add,
         name="organiser_jury_assignment_add"),
    path("<slug:slug>/assignments/<int:assignment_id>/remove/", views.jury_assignment_remove,
         name="organiser_jury_assignment_remove"),
    path("<slug:slug>/progress/", views.jury_progress_view, name="organiser_jury_progress"),
    path("<slug:slug>/reminders/", views.jury_reminders, name="organiser_jury_reminders"),
    path("<slug:slug>/rounds/", rounds.rounds_view, name="organiser_rounds"),
    path("<slug:slug>/rounds/add/", rounds.round_add_view, name="organiser_round_add"),
    path("<slug:slug>/rounds/<int:number>/areas/<int:area_id>/shortlist/",
         rounds.round_shortlist_view, name="organiser_round_shortlist"),
    path("<slug:slug>/rounds/<int:number>/areas/<int:area_id>/assign/",
         rounds.round_panel_assign, name="organiser_round_panel_assign"),
]
