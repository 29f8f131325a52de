import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guidebook.settings")
application = get_wsgi_application()

# After Django is set up: a web worker's long-lived objects leave the collector's
# sight, so its full passes stay short (guidebook/lib/collector.py).
from guidebook.lib import collector  # noqa: E402

collector.start()
