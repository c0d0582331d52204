# SPDX-License-Identifier: EUPL-1.2
"""Weerbaar: the administrative approach to organised crime, run and measured."""

__version__ = "0.1.0"
