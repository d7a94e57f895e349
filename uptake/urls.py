from django.urls import path

from . import views

urlpatterns = [
    path("officer/follow-ups/", views.follow_up_list, name="followup_list"),
    path("officer/follow-ups/<int:pk>/", views.follow_up_edit, name="followup_edit"),
    path("officer/follow-ups/<int:pk>/photos/add/", views.follow_up_photo_add_view,
         name="followup_photo_add"),
    path("officer/practices/<int:pk>/sustain/", views.practice_sustain,
         name="practice_sustain"),
    path("officer/questions/<int:pk>/", views.question_page, name="question_page"),
    path("organiser/follow-ups/", views.organiser_follow_up_list,
         name="organiser_followup_list"),
    path("organiser/follow-ups/<int:pk>/", views.organiser_follow_up_check,
         name="organiser_followup_check"),
    path("files/follow-ups/<int:item_pk>/", views.follow_up_photo_file,
         name="followup_photo_file"),
    path("practices/<int:pk>/adopt/", views.practice_adopt, name="practice_adopt"),
    path("practices/<int:pk>/ask/", views.practice_ask, name="practice_ask"),
]
