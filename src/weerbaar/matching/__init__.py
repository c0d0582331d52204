# SPDX-License-Identifier: EUPL-1.2
"""Matching: Dutch normalisation, candidate generation, Fellegi-Sunter scoring and hit/no-hit decisions."""
