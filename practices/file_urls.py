"""Files of practices, for every role, each download checked against the viewer."""

from django.urls import path

from . import views

urlpatterns = [
    path("photos/<int:item_pk>/", views.photo_file, name="practice_photo_file"),
    path("attachments/<int:item_pk>/", views.attachment_file, name="practice_attachment_file"),
]
