# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "weerbaar.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from weerbaar.governance.destroy import destroy_signal_content
        from weerbaar.governance.queue import queue
        from weerbaar.signals.hooks import register_destroyer, register_queue

        register_destroyer(destroy_signal_content)
        register_queue(queue)
