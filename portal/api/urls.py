from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("editions", views.EditionViewSet, basename="edition")
router.register("areas", views.AreaViewSet, basename="area")
router.register("criteria", views.CriterionViewSet, basename="criterion")
router.register("practices", views.PracticeViewSet, basename="practice")
router.register("results", views.ResultViewSet, basename="result")
router.register("topics", views.TopicViewSet, basename="topic")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]
