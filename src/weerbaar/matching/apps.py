# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_snapshot(sender: Any, source: Any, snapshot: Any, **kwargs: Any) -> None:
    """A source was re-imported: rebuild its index in the background (or `weerbaar matching reindex`)."""
    from weerbaar.matching.tasks import build_index

    build_index.enqueue(source.pk)


class MatchingConfig(AppConfig):
    name = "weerbaar.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from weerbaar.sources.events import snapshot_activated

        snapshot_activated.connect(_on_snapshot, dispatch_uid="matching-rebuild-index")
