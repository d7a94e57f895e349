from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views

from . import console, health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organiser/", views.organiser_dashboard, name="organiser_dashboard"),
    path("organiser/audit/", views.audit_log_view, name="organiser_audit"),
    path("organiser/editions/<slug:slug>/", console.edition_console_view,
         name="organiser_edition_console"),
    path("organiser/editions/<slug:slug>/move/", console.edition_move,
         name="organiser_edition_move"),
    path("organiser/editions/<slug:slug>/unlock/", console.edition_unlock,
         name="organiser_edition_unlock"),
    path("organiser/lockouts/", include("accounts.urls_organiser")),
    path("organiser/jury/", include("scoring.urls_organiser")),
    path("organiser/results/", include("scoring.urls_results")),
    path("accounts/", include("accounts.urls")),
    path("officer/", include("practices.urls")),
    path("organiser/entries/", include("practices.organiser_urls")),
    path("files/practices/", include("practices.file_urls")),
    path("jury/", include("scoring.urls")),
    path("i18n/setlang/", accounts_views.language_switch, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("giveback.urls")),  # feedback reports, certificates, booklets
    path("", include("portal.showcase.urls")),
    path("api/v1/", include("portal.api.urls")),
]

