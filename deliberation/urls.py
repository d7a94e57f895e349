from django.urls import path

from . import views

app_name = "deliberation"

urlpatterns = [
    path("organiser/deliberation/<slug:slug>/", views.organiser_panels, name="organiser"),
    path("organiser/deliberation/<slug:slug>/chairs/", views.chair_appoint,
         name="chair_appoint"),
    path("organiser/deliberation/<slug:slug>/settings/", views.settings_save,
         name="settings"),
    path("jury/panels/", views.panels, name="panels"),
    path("jury/panels/<int:area_id>/", views.panel, name="panel"),
    path("jury/panels/<int:area_id>/entries/<int:entry_id>/comments/", views.comment_post,
         name="comment"),
    path("jury/panels/<int:area_id>/decision/", views.decision, name="decision"),
    path("jury/panels/<int:area_id>/decision/<int:decision_id>/agreement/",
         views.agreement, name="agreement"),
    path("jury/panels/<int:area_id>/decision/<int:decision_id>/record/", views.record,
         name="record"),
]
