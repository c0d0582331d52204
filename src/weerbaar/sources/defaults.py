# SPDX-License-Identifier: EUPL-1.2
"""The sources of domain.md §4 as data, loaded once by a migration; the municipality edits them.

Modes follow the model privacy protocol: hit/no-hit first, content only on an approved request,
some sources never. The key registers (BRP, Handelsregister, BAG, BRK) are "content on approval"
although they are largely public: Weerbaar has no mode more open than that, and an approval that
is a formality still records who looked at whom and why. Retention terms say how long one load may
serve before it must be replaced; excluded sources keep nothing (0 days).

BRK is a *record* source, not an *address* source: the questions it answers in this work are who
holds which property since when (straw men, ABC transactions within six months), so one row is a
right or a transfer naming its holder (person or company) and the parcel's address.
"""

from __future__ import annotations

from typing import Any

#: code, name: reused where signals.demo_data names the same department.
DEPARTMENTS = [
    ("burgerzaken", "Burgerzaken"),
    ("basisregistraties", "Basisregistraties"),
    ("belastingen", "Belastingen en WOZ"),
    ("vergunningen", "Vergunningen"),
    ("handhaving", "Toezicht en handhaving"),
    ("openbare_orde", "Openbare orde en veiligheid"),
    ("sociaal_domein", "Sociaal domein"),
    ("beheer_openbare_ruimte", "Beheer openbare ruimte"),
]

_ADDRESS = ["street", "house_number", "house_number_addition", "postcode", "city"]
_NAME = ["given_names", "surname_prefix", "surname"]
_RECORD = ["record_type", "date", "status", "summary"]

SOURCES: list[dict[str, Any]] = [
    {
        "slug": "brp",
        "name": "Basisregistratie Personen (BRP)",
        "kind": "person",
        "owner": "burgerzaken",
        "law": "Wet basisregistratie personen (Wet BRP)",
        "legal_regime": (
            "Key register of residents. Municipal bodies may use its data where that is needed for a legal "
            "task, so it is broadly available; a query still needs privacy check 1, and content is shown "
            "only on an approved request. The BSN is not among the content fields: matching may use it, "
            "an answer does not need to show it."
        ),
        "mode": "content_on_approval",
        "content_fields": [*_NAME, "date_of_birth", *_ADDRESS],
        "retention_days": 31,
        "description": "Residents of the municipality with their address; refreshed monthly.",
    },
    {
        "slug": "handelsregister",
        "name": "Handelsregister (KvK)",
        "kind": "company",
        "owner": "basisregistraties",
        "law": "Handelsregisterwet 2007",
        "legal_regime": (
            "Register of companies and legal entities kept by the Chamber of Commerce; largely public, so a "
            "lookup is allowed. Personal data of the people behind a company that the register does not "
            "publish is not loaded."
        ),
        "mode": "content_on_approval",
        "content_fields": [
            "kvk_number",
            "trade_name",
            "legal_form",
            *_ADDRESS,
            "sbi_code",
            "registration_date",
        ],
        "retention_days": 31,
        "description": "Companies and establishments in the municipality.",
    },
    {
        "slug": "bag",
        "name": "Basisregistratie Adressen en Gebouwen (BAG)",
        "kind": "address",
        "owner": "basisregistraties",
        "law": "Wet basisregistratie adressen en gebouwen (Wet BAG)",
        "legal_regime": (
            "Key register of addresses and buildings, kept by the municipality itself; public, lookup allowed."
        ),
        "mode": "content_on_approval",
        "content_fields": [*_ADDRESS, "usage", "surface_m2"],
        "retention_days": 92,
        "description": "Addresses (verblijfsobjecten) with their use and floor area.",
    },
    {
        "slug": "brk",
        "name": "Basisregistratie Kadaster (BRK)",
        "kind": "record",
        "owner": "basisregistraties",
        "law": "Kadasterwet",
        "legal_regime": (
            "Register of real estate and the rights on it (ownership, mortgage), kept by the Kadaster; "
            "largely public, lookup allowed. Loaded as records: one right or transfer per row, naming its "
            "holder and the parcel's address."
        ),
        "mode": "content_on_approval",
        "content_fields": [*_RECORD, *_NAME, "kvk_number", "trade_name", *_ADDRESS],
        "retention_days": 92,
        "description": "Who holds which property, and since when.",
    },
    {
        "slug": "woz",
        "name": "WOZ en gemeentelijke belastingen",
        "kind": "record",
        "owner": "belastingen",
        "law": (
            "Algemene wet inzake rijksbelastingen (AWR) art. 67, applied to municipal taxes by art. 231 "
            "Gemeentewet; Wet WOZ"
        ),
        "legal_regime": (
            "Fiscal secrecy. Data may leave the tax department only where the tax officer's decision on "
            "data provision (besluit gegevensverstrekking) lifts secrecy for this purpose; without it, "
            "hit/no-hit at most."
        ),
        "mode": "hit_no_hit",
        "content_fields": [],
        "retention_days": 366,
        "description": "Property valuations (WOZ) and municipal tax assessments.",
    },
    {
        "slug": "permits",
        "name": "Vergunningen",
        "kind": "record",
        "owner": "vergunningen",
        "law": "Alcoholwet, APV (exploitatievergunning), Omgevingswet",
        "legal_regime": (
            "Own files of the mayor and the college. Hit/no-hit first; the relevant content only on a "
            "justified request that the source owner approves."
        ),
        "mode": "content_on_approval",
        "content_fields": [*_RECORD, *_NAME, "kvk_number", "trade_name", *_ADDRESS],
        "retention_days": 92,
        "description": "Permits applied for, granted, refused or withdrawn.",
    },
    {
        "slug": "vth",
        "name": "Toezicht en handhaving (VTH)",
        "kind": "record",
        "owner": "handhaving",
        "law": "Omgevingswet, APV, Alcoholwet; Awb chapter 5 (enforcement)",
        "legal_regime": (
            "Own files of the mayor and the college on supervision and enforcement. Hit/no-hit first; the "
            "relevant content only on a justified request that the source owner approves."
        ),
        "mode": "content_on_approval",
        "content_fields": [*_RECORD, *_NAME, "kvk_number", "trade_name", *_ADDRESS],
        "retention_days": 92,
        "description": "Inspections, warnings, orders and sanctions.",
    },
    {
        "slug": "bibob",
        "name": "Bibob-dossiers",
        "kind": "record",
        "owner": "openbare_orde",
        "law": "Wet Bibob art. 28",
        "legal_regime": (
            "Secrecy under art. 28 Wet Bibob; breaching it is a crime. Excluded as a general source: Bibob "
            "files are never loaded or queried here."
        ),
        "mode": "excluded",
        "content_fields": [],
        "retention_days": 0,
        "description": "",
    },
    {
        "slug": "boa",
        "name": "Politiegegevens (boa)",
        "kind": "record",
        "owner": "handhaving",
        "law": "Wet politiegegevens (Wpg)",
        "legal_regime": (
            "Police data processed by the municipality's special investigating officers (boa) fall under "
            "the Wpg, not the AVG, and may be shared only as the Wpg allows. Restricted: not loaded here; "
            "a case that needs it goes through the police or the RIEC."
        ),
        "mode": "excluded",
        "content_fields": [],
        "retention_days": 0,
        "description": "",
    },
    {
        "slug": "social_domain",
        "name": "Sociaal domein",
        "kind": "record",
        "owner": "sociaal_domein",
        "law": "Participatiewet, Jeugdwet, Wmo 2015, Wet gemeentelijke schuldhulpverlening",
        "legal_regime": (
            "Sectoral secrecy and health data (special categories, AVG art. 9). Excluded; hit/no-hit "
            "only where a specific legal basis exists, which the privacy officer decides per source."
        ),
        "mode": "excluded",
        "content_fields": [],
        "retention_days": 0,
        "description": "",
    },
    {
        "slug": "parking",
        "name": "Parkeren",
        "kind": "record",
        "owner": "beheer_openbare_ruimte",
        "law": "AVG (GDPR) only; no sectoral law",
        "legal_regime": (
            "Operational data collected for another purpose; use is allowed case by case after a "
            "compatibility test (AVG art. 6(4)). Hit/no-hit only."
        ),
        "mode": "hit_no_hit",
        "content_fields": [],
        "retention_days": 31,
        "description": "Parking permits and their holders.",
    },
    {
        "slug": "waste",
        "name": "Afvalinzameling",
        "kind": "record",
        "owner": "beheer_openbare_ruimte",
        "law": "AVG (GDPR) only; no sectoral law",
        "legal_regime": (
            "Operational data collected for another purpose; use is allowed case by case after a "
            "compatibility test (AVG art. 6(4)). Hit/no-hit only."
        ),
        "mode": "hit_no_hit",
        "content_fields": [],
        "retention_days": 31,
        "description": "Commercial waste contracts and container registrations.",
    },
    {
        "slug": "open_sources",
        "name": "Open bronnen",
        "kind": "record",
        "owner": "openbare_orde",
        "law": "AVG (GDPR)",
        "legal_regime": (
            "Only under criteria set in local policy, search by search; never loaded as a bulk source "
            "(no profiles of people from public data)."
        ),
        "mode": "excluded",
        "content_fields": [],
        "retention_days": 0,
        "description": "",
    },
]
