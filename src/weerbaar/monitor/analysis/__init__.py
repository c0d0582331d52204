# SPDX-License-Identifier: EUPL-1.2
"""The monitor's statistics: plain, typed functions on plain data, with no Django anywhere.

Django only orchestrates and stores (style.md, habit 6): the monitor app turns its rows into
:class:`Wave` and :class:`Item` objects, calls :func:`analyse` and :func:`build_report`, and
stores or renders the JSON. A test imports this package in a fresh interpreter and checks that
no ``django`` module was loaded. docs/monitor-analysis.md explains every formula.

Modules: ``inputs`` (the data), ``coding`` (answers → matrices), ``estimators`` (shares and means
with finite-population intervals), ``tables`` (a whole wave, breakdowns), ``trend`` (comparable
items over waves, tests of change), ``weighting`` (post-stratification by size class),
``model`` (logistic and ordinal regression), ``disclosure`` (suppression and the recovery audit),
``report`` (the whole analysis and the report JSON, ``report.schema.json``).
"""

from weerbaar.monitor.analysis.disclosure import PublishedTable, SuppressionRule, recover, suppress_cells
from weerbaar.monitor.analysis.estimators import Estimate, estimate_distribution, estimate_mean, estimate_share
from weerbaar.monitor.analysis.inputs import Item, ItemType, Wave, codebook_of
from weerbaar.monitor.analysis.model import ModelResult, ModelSpec, fit_model
from weerbaar.monitor.analysis.report import Analysis, AnalysisConfig, analyse, build_report, load_schema, report

__all__ = [
    "Analysis",
    "AnalysisConfig",
    "Estimate",
    "Item",
    "ItemType",
    "ModelResult",
    "ModelSpec",
    "PublishedTable",
    "SuppressionRule",
    "Wave",
    "analyse",
    "build_report",
    "codebook_of",
    "estimate_distribution",
    "estimate_mean",
    "estimate_share",
    "fit_model",
    "load_schema",
    "recover",
    "report",
    "suppress_cells",
]
