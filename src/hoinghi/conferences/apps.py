from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "hoinghi.conferences"
    verbose_name = _("Hội nghị")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hoinghi.core import extensions

        # The places the apps built on this one fill (core.extensions).
        extensions.declare(
            "conferences.invitation_page",
            signature="(request, *, invitation, conference) -> HTML or '': a section of the invitee's page",
        )
        extensions.declare(
            "conferences.tabs",
            signature="(request, *, conference, tab) -> HTML or '': a link in the conference's tab bar",
        )
        extensions.declare(
            "conferences.outbox_email",
            signature="(message: OutboxMessage) -> EmailMultiAlternatives: the e-mail of a queued message "
            "of the kind it is keyed by",
            keyed=True,
        )
