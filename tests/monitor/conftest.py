# SPDX-License-Identifier: EUPL-1.2
"""Fixtures of the monitor tests: a small codebook with every item type and some routing."""

from __future__ import annotations

from typing import Any

import pytest

from weerbaar.accounts.authz import Actor, system_actor

SMALL_CODEBOOK = """\
title: Test codebook
items:
  - id: has_policy
    theme: administrative
    type: yes_no
    label_nl: Is er beleid?
    label_en: Is there a policy?
    waves: [2016, 2022]
  - id: policy_year
    theme: administrative
    type: number
    label_nl: Sinds welk jaar?
    label_en: Since which year?
    min: 2000
    max: 2026
    waves: [2016, 2022]
    ask_if: {item: has_policy, equals: 1}
  - id: fte
    theme: organisational
    type: number
    label_nl: Hoeveel fte?
    label_en: How many FTE?
    min: 0
    unit: fte
    waves: [2016, 2022]
  - id: satisfaction
    theme: cooperation
    type: scale
    label_nl: Tevredenheid over het RIEC
    label_en: Satisfaction with the RIEC
    scale: {min: 1, max: 5}
    waves: [2022]
  - id: orientation
    theme: prevention
    type: choice
    label_nl: Oriëntatie
    label_en: Orientation
    choices:
      - {code: case, label_nl: Casus, label_en: Case}
      - {code: mixed, label_nl: Gemengd, label_en: Mixed}
      - {code: preventive, label_nl: Preventief, label_en: Preventive}
    waves: [2016, 2022]
  - id: sources
    theme: information
    type: multi_choice
    label_nl: Bronnen
    label_en: Sources
    choices:
      - {code: brp, label_nl: BRP, label_en: BRP}
      - {code: kvk, label_nl: KvK, label_en: KvK}
      - {code: woz, label_nl: WOZ, label_en: WOZ}
    waves: [2016, 2022]
  - id: woz_ok
    theme: information
    type: yes_no
    label_nl: Mag de WOZ worden geraadpleegd?
    label_en: May WOZ be consulted?
    waves: [2022]
    ask_if: {item: sources, includes: woz}
  - id: cannabis
    theme: phenomena
    type: yes_no
    label_nl: Hennepteelt?
    label_en: Cannabis cultivation?
    waves: [2009, 2016, 2022]
"""


@pytest.fixture
def acting() -> Actor:
    return system_actor("monitor-test", origin="test")


@pytest.fixture
def small_codebook(db: Any, acting: Actor) -> Any:
    from weerbaar.monitor.codebook import import_codebook

    return import_codebook(acting=acting, content=SMALL_CODEBOOK.encode(), name="small.yaml").codebook
