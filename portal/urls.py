from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from accounts import views_second_factor

from . import console, health, views
from .privacy import views as privacy_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
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
    path("organiser/outbox/", accounts_views.outbox, name="organiser_outbox"),
    path("organiser/jury/", include("scoring.urls.organiser")),
    path("organiser/results/", include("scoring.urls.results")),
    path("privacy/", privacy_views.privacy_notice, name="privacy_notice"),
    path("accounts/me/", privacy_views.account, name="account"),
    path("accounts/me/data.json", privacy_views.account_data, name="account_data"),
    path("organiser/privacy/", include("portal.privacy.urls_organiser")),
    path("organiser/two-factor/", views_second_factor.organiser_second_factors,
         name="organiser_second_factors"),
    path("organiser/two-factor/<int:pk>/reset/",
         views_second_factor.organiser_second_factor_reset,
         name="organiser_second_factor_reset"),
    path("accounts/", include("accounts.urls")),
    path("officer/", include("practices.urls")),
    path("organiser/entries/", include("practices.organiser_urls")),
    path("files/practices/", include("practices.file_urls")),
    path("jury/", include("scoring.urls.jury")),
    path("i18n/setlang/", accounts_views.language_switch, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("uptake.urls")),  # follow-up, adoption and questions (issue 16)
    path("", include("deliberation.urls")),  # chairs, panels, decisions (issue 14)
    path("", include("giveback.urls")),  # feedback reports, certificates, booklets
    path("", include("portal.showcase.urls")),
    path("api/v1/", include("portal.api.urls")),
]

