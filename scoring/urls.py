from django.urls import path

from . import views, views_jury

urlpatterns = [
    path("", views_jury.juror_dashboard, name="juror_dashboard"),
    path("invitation/<str:token>/", views.jury_invitation_accept_view,
         name="jury_invitation_accept"),
    path("editions/<slug:slug>/", views_jury.juror_edition, name="juror_edition"),
    path("entries/<int:entry_id>/", views_jury.juror_entry, name="juror_entry"),
    path("entries/<int:entry_id>/sheet/", views_jury.jury_sheet, name="jury_sheet"),
    path("entries/<int:entry_id>/sheet/autosave/", views_jury.jury_sheet_autosave,
         name="jury_sheet_autosave"),
    path("entries/<int:entry_id>/sheet/reopen/", views_jury.jury_sheet_reopen,
         name="jury_sheet_reopen"),
    path("entries/<int:entry_id>/sheet/conflict/", views_jury.jury_sheet_recuse,
         name="jury_sheet_recuse"),
    path("entries/<int:entry_id>/sheet/conflict/withdraw/",
         views_jury.jury_sheet_recusal_withdraw, name="jury_sheet_recusal_withdraw"),
]
