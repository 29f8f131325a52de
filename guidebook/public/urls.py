from django.urls import path
from django.views.generic import RedirectView

from guidebook.public import views

app_name = "public"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="public:programme_list"), name="home"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<slug:slug>.json", views.programme_json, name="programme_json"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme_detail"),
]
