from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("guidebook.api.urls")),
    path("staff/", include("guidebook.editorial.urls")),
    path("", include("guidebook.public.urls")),
]
