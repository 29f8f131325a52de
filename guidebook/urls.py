from django.contrib import admin
from django.urls import include, path

from guidebook.catalogue.views import imported_ratings

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("guidebook.api.urls")),
    path("staff/reports/imported-ratings/", imported_ratings, name="imported_ratings_report"),
    path("staff/", include("guidebook.editorial.urls")),
    path("", include("guidebook.public.urls")),
]
