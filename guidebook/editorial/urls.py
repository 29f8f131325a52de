from django.urls import URLPattern

app_name = "editorial"
# Staff and provider screens are mounted here.
urlpatterns: list[URLPattern] = []
