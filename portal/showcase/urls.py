from django.urls import path
from django.views.decorators.http import require_GET

from . import catalogue, feeds, opendata, views
from . import map as regions_map

app_name = "showcase"

urlpatterns = [
    path("showcase/", views.showcase, name="list"),
    path("showcase/feed/", require_GET(feeds.WinnersFeed()), name="feed"),
    path("showcase/verify_results.py", views.verify_script, name="verify_script"),
    path("showcase/photos/<int:pk>/", views.photo, name="photo"),
    path("showcase/map/", regions_map.regions_map, name="map"),
    path("open-data/", catalogue.open_data, name="open_data"),
    path("open-data/catalog.jsonld", catalogue.dcat, name="dcat"),
    path("open-data/datapackage.json", catalogue.datapackage, name="datapackage"),
    path("open-data/all-results.csv", catalogue.bulk_csv, name="bulk_csv"),
    path("open-data/all-results.json", catalogue.bulk_json, name="bulk_json"),
    path("showcase/<slug:slug>/", views.edition_results, name="edition"),
    path("showcase/<slug:slug>/results.csv", opendata.results_csv, name="results_csv"),
    path("showcase/<slug:slug>/results.json", opendata.results_json, name="results_json"),
    path("showcase/<slug:slug>/sheets.csv", opendata.sheets_csv, name="sheets_csv"),
    path("showcase/<slug:slug>/sheets.json", opendata.sheets_json, name="sheets_json"),
    # every round verifiable: the earlier rounds' runs behind the shortlists
    path("showcase/<slug:slug>/runs/<int:run_id>/results.json",
         opendata.verification_results_json, name="verification_results_json"),
    path("showcase/<slug:slug>/runs/<int:run_id>/sheets.json",
         opendata.verification_sheets_json, name="verification_sheets_json"),
    path("practices/<int:pk>/", views.practice_detail, name="practice"),
]
