from django.apps import AppConfig
from django.core import checks


class ApiConfig(AppConfig):
    name = "portolan.api"
    label = "api"

    def ready(self) -> None:
        from .throttling import check_rate_limits

        checks.register(check_rate_limits, checks.Tags.security)
