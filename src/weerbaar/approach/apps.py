# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApproachConfig(AppConfig):
    name = "weerbaar.approach"
    label = "approach"
    verbose_name = _("Approach")

    def ready(self) -> None:
        from weerbaar.approach import hooks
        from weerbaar.signals import hooks as signal_hooks

        signal_hooks.register_destroyer(hooks.destroy)
        signal_hooks.register_hold(hooks.hold)
        signal_hooks.register_timeline(hooks.timeline)
        signal_hooks.register_actions(hooks.actions)
        signal_hooks.register_queue(hooks.queue)
        try:  # research publishes W4 decisions; without it (an older research app) nothing opens cases
            from weerbaar.research.events import w4_decided
        except ImportError:  # pragma: no cover - only while research is being built
            return
        w4_decided.connect(on_w4_decided, dispatch_uid="approach.case_open")


def on_w4_decided(sender: Any, w4: Any, acting: Any, **kwargs: Any) -> None:
    """W4 → ``case`` opens a case for the municipal case meeting, ``riec`` one for the RIEC track;
    the decider is its first team member (the regisseur adds the others). Runs inside the W4
    transaction, so the decision and the case commit together or not at all."""
    from weerbaar.approach.models import CaseTrack
    from weerbaar.approach.services import case_open

    track = {"case": CaseTrack.MEETING, "riec": CaseTrack.RIEC}.get(getattr(w4, "outcome", ""))
    if track is None:
        return
    case_open(acting=acting, signal_id=w4.signal_id, track=track, team=[acting.user] if acting.user else [])
