# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "weerbaar.research"
    label = "research"
    verbose_name = _("Source research")

    def ready(self) -> None:
        """Join the signal's life (ADR 0008) and put privacy check 1 in front of every source."""
        from weerbaar.matching.services import register_source_gate
        from weerbaar.research import hooks
        from weerbaar.research.services import pc1_gate
        from weerbaar.signals import hooks as signal_hooks

        register_source_gate(pc1_gate)
        signal_hooks.register_destroyer(hooks.destroy)
        signal_hooks.register_timeline(hooks.timeline)
        signal_hooks.register_actions(hooks.actions)
        signal_hooks.register_queue(hooks.queue)
