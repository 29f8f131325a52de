"""The JSON API under /api/: django-ninja's routes, each wrapped by ``api_view``.

The last route catches every other address under /api/, so an unknown path gets the
API's error shape rather than the site's HTML 404 page.
"""

from django.urls import URLPattern, URLResolver, re_path

from guidebook.api import crosswalk_views  # noqa: F401 -- registers its routes
from guidebook.api.errors import api_view, not_found_view
from guidebook.api.views import api
from guidebook.public.caching import cache_public_page

app_name = "api"


def _wrapped(pattern: URLPattern | URLResolver) -> URLPattern:
    # ninja mounts every route of this API as a plain pattern (there are no sub-APIs).
    assert isinstance(pattern, URLPattern), pattern
    # Read-only routes: cached whole like the public pages, retired on publication.
    callback = api_view(cache_public_page(pattern.callback))
    return URLPattern(pattern.pattern, callback, pattern.default_args, pattern.name)


urlpatterns = [
    *(_wrapped(pattern) for pattern in api.urls[0]),
    re_path(r"^(?P<path>.*)$", api_view(not_found_view), name="not_found"),
]
