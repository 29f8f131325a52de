"""What a production site runs beside the application: the Varnish front cache.

``guidebook.vcl`` is the front cache's configuration (docs/caching.md, "The front
cache"); ``varnish`` renders it for a given application server and builds the command
that runs it. Nothing here imports Django.
"""
