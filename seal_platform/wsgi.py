"""WSGI entry point, used by gunicorn: `gunicorn seal_platform.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seal_platform.settings")

application = get_wsgi_application()
