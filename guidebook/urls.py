from django.contrib import admin
from django.urls import include, path

from guidebook.catalogue.views import imported_ratings

# A database busy with another writer gets "busy, try again" (503), not a 500.
handler500 = "guidebook.lib.server_errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("guidebook.api.urls")),
    path("staff/reports/imported-ratings/", imported_ratings, name="imported_ratings_report"),
    path("staff/", include("guidebook.editorial.urls")),
    path("", include("guidebook.public.urls")),
]
