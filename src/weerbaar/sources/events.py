# SPDX-License-Identifier: EUPL-1.2
"""What the sources app tells others without knowing them.

``snapshot_activated`` is sent once the transaction that made a snapshot current has committed
(``sender=Source``, keyword arguments ``source`` and ``snapshot``). The matching app listens to it to
rebuild its index; sources does not import matching, which sits below it.
"""

from django.dispatch import Signal

snapshot_activated = Signal()
