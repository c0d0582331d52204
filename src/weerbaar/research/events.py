# SPDX-License-Identifier: EUPL-1.2
"""What the research step tells later steps, without importing them (architecture.md).

``w4_decided`` is sent by :func:`weerbaar.research.services.w4_decide` *inside* its transaction,
after the W4 row and the signal's new state are saved, with ``sender=W4`` and the keyword
arguments ``w4`` (the :class:`~weerbaar.research.models.W4` row; ``w4.signal`` is the locked,
saved :class:`~weerbaar.signals.models.Signal`) and ``acting`` (the
:class:`~weerbaar.accounts.authz.Actor`). The signal is not passed as ``signal=``: Django's
dispatcher gives every receiver that keyword already (the dispatching ``Signal`` itself).
A receiver that fails rolls the whole decision back: the approach app opens the case here, and a
W4 "case" without its case must not exist.
"""

from __future__ import annotations

import django.dispatch

w4_decided = django.dispatch.Signal()
