"""Small helpers shared by every app that barely touch Django: CSV files, safe links,
the Content-Security-Policy and the page for a busy database."""
