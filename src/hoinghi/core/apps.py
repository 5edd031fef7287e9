from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hoinghi.core"
    verbose_name = "Lõi"
