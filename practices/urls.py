from django.urls import path

from . import views

urlpatterns = [
    path("", views.officer_dashboard, name="officer_dashboard"),
    path("practices/new/", views.practice_create_view, name="practice_create"),
    path("practices/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("practices/<int:pk>/edit/", views.practice_edit, name="practice_edit"),
    path("practices/<int:pk>/autosave/", views.practice_autosave, name="practice_autosave"),
    path("practices/<int:pk>/photos/add/", views.photo_add_view, name="practice_photo_add"),
    path("practices/<int:pk>/photos/<int:item_pk>/delete/", views.photo_delete_view,
         name="practice_photo_delete"),
    path("practices/<int:pk>/attachments/add/", views.attachment_add_view,
         name="practice_attachment_add"),
    path("practices/<int:pk>/attachments/<int:item_pk>/delete/", views.attachment_delete_view,
         name="practice_attachment_delete"),
    path("practices/<int:pk>/enter/", views.entry_create_view, name="entry_create"),
    path("entries/<int:pk>/submit/", views.entry_submit_view, name="entry_submit"),
    path("entries/<int:pk>/withdraw/", views.entry_withdraw_view, name="entry_withdraw"),
    path("entries/<int:pk>/remove/", views.entry_discard_view, name="entry_discard"),
    path("editions/<slug:slug>/criteria/", views.edition_criteria, name="officer_criteria"),
]
