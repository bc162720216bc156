"""The environment of a subprocess that reads the settings afresh (not a test module): the repository, this
process's environment less the site's own variables, and production's."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLEAN = {
    k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "SENTIMENT_"))
}
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7" * 30 + "-a-long-random-production-secret",
    "DJANGO_ALLOWED_HOSTS": "sentisite.example.com",
}
