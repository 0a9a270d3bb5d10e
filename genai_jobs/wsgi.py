"""WSGI entry point."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")
application = get_wsgi_application()
# What is loaded at startup lives as long as the process: keep it out of the collector's full
# passes (about 100 ms each over Django's startup objects, once every hundred requests or so).
gc.freeze()
