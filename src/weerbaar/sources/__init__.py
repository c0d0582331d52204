# SPDX-License-Identifier: EUPL-1.2
"""Sources: registries and departmental files, their legal regimes and allowed modes, and their snapshots."""
