# SPDX-License-Identifier: EUPL-1.2
"""Settings package: ``base`` is the one settings module (profiles inside); ``test`` wraps it."""
