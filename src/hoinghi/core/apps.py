from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "hoinghi.core"
    verbose_name = "Lõi"

    def ready(self):
        # Every app declares its permission actions (and relations) in its own permissions.py.
        autodiscover_modules("permissions")
