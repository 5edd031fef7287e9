"""ASGI entry point: `uvicorn hoinghi.asgi:application`."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoinghi.settings")

application = get_asgi_application()
