# SPDX-License-Identifier: EUPL-1.2
"""The one permission vocabulary: ``scope:resource:action``.

Roles are data (``accounts.Role`` rows hold lists of these strings); code only ever asks whether
the acting user holds one of these permissions. Every view and API operation declares the one it
needs (see :mod:`weerbaar.accounts.declare`), and a test fails for any URL that does not.
"""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    # Work queue and own account: every role has these.
    QUEUE_VIEW = "signals:queue:view"
    # Step 1: intake.
    SIGNAL_CREATE = "signals:signal:create"
    SIGNAL_RECORD_EXTERNAL = "signals:signal:record-external"
    SIGNAL_IMPORT = "signals:signal:import"
    # Reading signals: need-to-know scopes (own reports, all, those handed to the RIEC).
    SIGNAL_VIEW = "signals:signal:view"  # open the list and signals, narrowed by the scopes below
    SIGNAL_READ_OWN = "signals:signal:read-own"
    SIGNAL_READ = "signals:signal:read"
    SIGNAL_READ_RIEC = "signals:signal:read-riec"
    SIGNAL_READ_CHECK = "signals:signal:read-for-check"  # signals awaiting a privacy check (research, case)
    # Steps 1-2: the decisions.
    SIGNAL_QUALIFY = "signals:signal:qualify"
    SIGNAL_WEIGH = "signals:signal:weigh"
    # Governance of the signals context.
    CHECKLIST_MANAGE = "signals:checklist:manage"
    RETENTION_RUN = "signals:retention:run"
    # Sources (registries and departmental files) and matching against them.
    SOURCE_VIEW = "sources:source:view"  # the catalogue: owner, regime, modes, snapshots (no records)
    SOURCE_IMPORT = "sources:snapshot:import"  # load a new snapshot of a source
    MATCH_SCREEN = "matching:screen:run"  # hit/no-hit of subjects against permitted sources
    # Step 3: source research (research app).
    PC1_REQUEST = "research:pc1:request"  # ask which sources may be queried, and why
    PC1_DECIDE = "research:pc1:decide"  # privacy check 1, per source
    QUERY_RUN = "research:query:run"  # hit/no-hit of the signal's subjects in the approved sources
    CONTENT_REQUEST = "research:content:request"  # ask a source owner for the content of a hit
    CONTENT_DECIDE = "research:content:decide"  # source owner: approve (choose fields) or refuse
    W4_DECIDE = "research:w4:decide"  # do the hits confirm the signal?
    # Step 4: approach (approach app). Cases are read by their team; these widen or act.
    CASE_VIEW = "approach:case:view"  # open the cases one is on the team of
    CASE_READ_ALL = "approach:case:read-all"  # every case (regisseur, privacyfunctionaris)
    CASE_MANAGE = "approach:case:manage"  # team, case meeting, plan of approach, closing
    PC2_DECIDE = "approach:pc2:decide"  # privacy checks 2A (share matrix) and 2B (per intervention)
    INTERVENTION_EXECUTE = "approach:intervention:execute"  # procedure steps and outcome (owner dept.)
    REFERRAL_MANAGE = "approach:referral:manage"  # RIEC referral package, status, feedback
    INSTRUMENT_MANAGE = "approach:instrument:manage"  # the instrument catalogue (data)
    # Governance (governance app).
    DSR_HANDLE = "governance:dsr:handle"  # data-subject requests: search, access report, restrictions
    REGISTER_VIEW = "governance:register:view"  # processing register (AVG art. 30)
    PUBLICATION_EXPORT = "governance:publication:export"  # council figures and Woo, suppressed
    AUDIT_EXPORT = "audit:log:export"  # the audit trail for an external reviewer
    # The monitor (national or RIEC deployment; monitor app). Holds no personal data of citizens.
    MONITOR_VIEW = "monitor:analysis:view"  # waves, progress, analysis, reports
    MONITOR_MANAGE = "monitor:wave:manage"  # codebook, municipalities, waves, imports, conclusions
    MONITOR_FOLLOWUP = "monitor:followup:manage"  # the policy response per conclusion
    MONITOR_FIGURES_SUBMIT = "monitor:figures:submit"  # a municipal deployment submits its counts
    # Audit and administration.
    AUDIT_READ = "audit:log:read"
    ADMIN_ACCESS = "accounts:admin:access"
    USER_MANAGE = "accounts:user:manage"


#: The permission every signed-in account holds for its own session and second factor.
SELF_SERVICE = "accounts:self:manage"
#: Marker for the handful of pages a visitor reaches before signing in (login, health, schema).
PUBLIC = "public"

#: The default role set of domain.md §1, loaded by a data migration; municipalities may edit it.
DEFAULT_ROLES: dict[str, tuple[str, str, list[Perm]]] = {
    "regisseur": (
        "Regisseur ondermijning",
        "Takes signals in, qualifies them (W1, W2A, W2B) and keeps the process moving.",
        [
            Perm.QUEUE_VIEW,
            Perm.SIGNAL_CREATE,
            Perm.SIGNAL_RECORD_EXTERNAL,
            Perm.SIGNAL_IMPORT,
            Perm.SIGNAL_VIEW,
            Perm.SIGNAL_READ,
            Perm.SIGNAL_QUALIFY,
            Perm.SOURCE_VIEW,
            Perm.MATCH_SCREEN,
            Perm.PC1_REQUEST,
            Perm.QUERY_RUN,
            Perm.CONTENT_REQUEST,
            Perm.CASE_VIEW,
            Perm.CASE_READ_ALL,
            Perm.CASE_MANAGE,
            Perm.REFERRAL_MANAGE,
            Perm.PUBLICATION_EXPORT,
        ],
    ),
    "ondermijningsteam": (
        "Ondermijningsteam",
        "Weighs qualified signals (W3) and decides on research and approach.",
        [
            Perm.QUEUE_VIEW,
            Perm.SIGNAL_VIEW,
            Perm.SIGNAL_READ,
            Perm.SIGNAL_WEIGH,
            Perm.MATCH_SCREEN,
            Perm.PC1_REQUEST,
            Perm.QUERY_RUN,
            Perm.CONTENT_REQUEST,
            Perm.W4_DECIDE,
            Perm.CASE_VIEW,
            Perm.CASE_MANAGE,
        ],
    ),
    "privacyfunctionaris": (
        "Privacyfunctionaris",
        "Runs the privacy checks and watches the audit trail and retention.",
        [
            Perm.QUEUE_VIEW,
            Perm.AUDIT_READ,
            Perm.RETENTION_RUN,
            Perm.SOURCE_VIEW,
            Perm.SIGNAL_VIEW,
            Perm.SIGNAL_READ_CHECK,
            Perm.PC1_DECIDE,
            Perm.CASE_VIEW,
            Perm.CASE_READ_ALL,
            Perm.PC2_DECIDE,
            Perm.DSR_HANDLE,
            Perm.REGISTER_VIEW,
            Perm.PUBLICATION_EXPORT,
            Perm.AUDIT_EXPORT,
        ],
    ),
    "source_owner": (
        "Bronhouder",
        "Answers hit/no-hit and content requests on the department's own source.",
        [Perm.QUEUE_VIEW, Perm.SOURCE_VIEW, Perm.SOURCE_IMPORT, Perm.CONTENT_DECIDE],
    ),
    "department_officer": (
        "Medewerker vakafdeling",
        "Reports signals and carries out interventions within the department's powers.",
        [
            Perm.QUEUE_VIEW,
            Perm.SIGNAL_CREATE,
            Perm.SIGNAL_VIEW,
            Perm.SIGNAL_READ_OWN,
            Perm.CASE_VIEW,
            Perm.INTERVENTION_EXECUTE,
        ],
    ),
    "bestuur": (
        "Bestuur",
        "Mayor or college: the competent organ for the instruments.",
        [Perm.QUEUE_VIEW, Perm.CASE_VIEW, Perm.INTERVENTION_EXECUTE],
    ),
    "riec_liaison": (
        "RIEC-contactpersoon",
        "Hands cases to and from the RIEC.",
        [Perm.QUEUE_VIEW, Perm.SIGNAL_VIEW, Perm.SIGNAL_READ_RIEC, Perm.CASE_VIEW, Perm.REFERRAL_MANAGE],
    ),
    "researcher": (
        "Onderzoeker monitor",
        "Runs the monitor: codebook, waves, analysis, reports and conclusions.",
        [Perm.QUEUE_VIEW, Perm.MONITOR_VIEW, Perm.MONITOR_MANAGE, Perm.MONITOR_FOLLOWUP],
    ),
    "ministry": (
        "Beleidsmedewerker ministerie",
        "Reads the monitor and keeps the follow-up of its conclusions.",
        [Perm.QUEUE_VIEW, Perm.MONITOR_VIEW, Perm.MONITOR_FOLLOWUP],
    ),
    "figures_submitter": (
        "Aanleverend systeem (kerncijfers)",
        "The account a municipal deployment uses to submit anonymised operational figures.",
        [Perm.MONITOR_FIGURES_SUBMIT],
    ),
    "administrator": (
        "Functioneel beheerder",
        "Manages accounts, roles and the checklist; reads no signal content.",
        [
            Perm.QUEUE_VIEW,
            Perm.ADMIN_ACCESS,
            Perm.USER_MANAGE,
            Perm.CHECKLIST_MANAGE,
            Perm.SOURCE_VIEW,
            Perm.INSTRUMENT_MANAGE,
            Perm.REGISTER_VIEW,
        ],
    ),
}
