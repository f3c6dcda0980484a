"""Settings for the test suite: production settings with test defaults for the environment.

The suite runs against this machine's PostgreSQL and Redis. Plain HTTP is allowed because the
test client and the live test server speak no TLS; a separate test runs `check --deploy`
on the production settings.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-with-enough-length-0123456789abcdef")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")

from seal_platform.settings import *  # noqa: E402,F403

# Tests queue through Redis only where they start a real worker; elsewhere tasks run inline.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files from the app folders, as `collectstatic` has not run for the tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Several suites can share one PostgreSQL server when each picks its own test database name.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SEAL_TEST_DATABASE", "test_seal")}  # noqa: F405
