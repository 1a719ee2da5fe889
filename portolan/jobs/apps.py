from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "portolan.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from . import discovery

        discovery.load_jobs()
