from django.urls import path

from . import views

app_name = "giveback"

urlpatterns = [
    path("officer/entries/<int:entry_id>/feedback/", views.feedback, name="feedback"),
    path("officer/entries/<int:entry_id>/feedback.pdf", views.feedback_pdf,
         name="feedback_pdf"),
    path("officer/entries/<int:entry_id>/certificate.pdf", views.certificate,
         name="certificate"),
    path("organiser/giveback/<slug:slug>/", views.organiser_page, name="organiser"),
    path("organiser/giveback/<slug:slug>/entries/<int:entry_id>/comments/",
         views.organiser_comments, name="organiser_comments"),
    path("organiser/giveback/<slug:slug>/certificates.zip", views.certificates_zip,
         name="certificates_zip"),
    path("organiser/giveback/<slug:slug>/booklets/regenerate/",
         views.booklet_regenerate_view, name="booklet_regenerate"),
    path("showcase/<slug:slug>/booklet/<str:language>/", views.booklet, name="booklet"),
    path("showcase/<slug:slug>/booklet/<str:language>/progress/", views.booklet_progress,
         name="booklet_progress"),
]
