from django.urls import URLPattern

# The JSON API (django-ninja) is mounted here.
urlpatterns: list[URLPattern] = []
