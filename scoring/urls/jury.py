from django.urls import path

from ..views import invitation, jury, rounds

urlpatterns = [
    path("", jury.juror_dashboard, name="juror_dashboard"),
    path("invitation/<str:token>/", invitation.jury_invitation_accept_view,
         name="jury_invitation_accept"),
    path("editions/<slug:slug>/", jury.juror_edition, name="juror_edition"),
    path("entries/<int:entry_id>/", jury.juror_entry, name="juror_entry"),
    path("entries/<int:entry_id>/sheet/", jury.jury_sheet, name="jury_sheet"),
    path("entries/<int:entry_id>/sheet/autosave/", jury.jury_sheet_autosave,
         name="jury_sheet_autosave"),
    path("entries/<int:entry_id>/sheet/reopen/", jury.jury_sheet_reopen,
         name="jury_sheet_reopen"),
    path("entries/<int:entry_id>/sheet/conflict/", jury.jury_sheet_recuse,
         name="jury_sheet_recuse"),
    path("entries/<int:entry_id>/sheet/conflict/withdraw/",
         jury.jury_sheet_recusal_withdraw, name="jury_sheet_recusal_withdraw"),
    path("rounds/<slug:slug>/<int:number>/entries/<int:entry_id>/site-visits/",
         rounds.site_visits_view, name="site_visits"),
    path("site-visits/<int:visit_id>/file/", rounds.site_visit_file, name="site_visit_file"),
]
