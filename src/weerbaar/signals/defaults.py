# SPDX-License-Identifier: EUPL-1.2
"""Default reference data (domain.md §3 and §7), loaded by a data migration.

A municipality edits these in the admin; the defaults follow the 2022 revision of the model
protocol's checklist, which removed every indicator that pointed at groups of people.
"""

PHENOMENA = [
    ("cannabis", "Hennepteelt", "Cannabis cultivation"),
    ("synthetic_drugs", "Synthetische drugs en drugsafval", "Synthetic drugs and drug waste"),
    ("cocaine", "Cocaïnehandel", "Cocaine trade"),
    ("money_laundering", "Witwassen", "Money laundering"),
    ("real_estate_fraud", "Vastgoedfraude", "Real-estate fraud"),
    ("human_trafficking", "Mensenhandel en uitbuiting", "Human trafficking and exploitation"),
    ("care_fraud", "Zorgfraude", "Care fraud"),
    ("criminal_families", "Criminele personen of families", "Criminal persons or families"),
    ("gangs", "(Motor)bendes", "(Motorcycle) gangs"),
    ("milieu_violence", "Geweld in het criminele milieu", "Violence within the criminal milieu"),
    ("environmental_crime", "Milieucriminaliteit", "Environmental crime"),
    ("address_fraud", "Adres- en woonfraude", "Address and housing fraud"),
    ("holiday_parks", "Misbruik vakantieparken en buitengebied", "Abuse of holiday parks and rural premises"),
    ("youth_exploitation", "Criminele uitbuiting van jongeren", "Criminal exploitation of youth"),
]

CHECKLIST = [
    ("feature", "f_institutions", "Aantasting van instituties", "Erosion of institutions"),
    (
        "feature",
        "f_authority",
        "Aantasting van het gezag van bestuur, politie en overheid",
        "Erosion of the authority of administration, police and government",
    ),
    ("feature", "f_public_order", "Aantasting van openbare orde en veiligheid", "Erosion of public order and safety"),
    (
        "feature",
        "f_structures",
        "Ontwrichting van sociale, politieke of economische structuren",
        "Disruption of social, political or economic structures",
    ),
    (
        "feature",
        "f_unlawful",
        "Onrechtmatigheid, maatschappelijke dreiging of georganiseerde criminaliteit",
        "Unlawfulness, societal threat or organised crime",
    ),
    (
        "anchoring",
        "a_administrative",
        "Gelegenheidsstructuur in de bestuurlijke omgeving",
        "Opportunity structure in the administrative environment",
    ),
    (
        "anchoring",
        "a_social",
        "Gelegenheidsstructuur in de sociale omgeving",
        "Opportunity structure in the social environment",
    ),
    (
        "anchoring",
        "a_business",
        "Gelegenheidsstructuur in de zakelijke omgeving",
        "Opportunity structure in the business environment",
    ),
    (
        "anchoring",
        "a_processes",
        "Interne processen die facilitering mogelijk maken",
        "Internal processes that enable facilitation",
    ),
    (
        "anchoring",
        "a_involvement",
        "Betrokkenheid van een locatie, persoon, groep, familie of netwerk",
        "Involvement of a location, person, group, family or network",
    ),
    ("signalling", "s_incongruity", "Incongruentie", "Incongruity"),
    ("signalling", "s_malafide", "Malafide of criminele activiteit", "Malafide or criminal activity"),
    ("signalling", "s_systematic", "Systematisch en structureel", "Systematic and structural"),
    ("signalling", "s_latent", "Latent", "Latent"),
    ("signalling", "s_complex", "Complex", "Complex"),
    ("red_flag", "r_blinded_windows", "Geblindeerde ramen", "Blinded windows"),
    ("red_flag", "r_smell", "Hennep- of anijslucht", "Hemp or anise smell"),
    ("red_flag", "r_constant_light", "Constant licht", "Constant light"),
    ("red_flag", "r_ventilation", "Geluid van ventilatie", "Ventilation noise"),
    ("red_flag", "r_odd_hours", "Laden en lossen op ongebruikelijke tijden", "Loading at odd hours"),
    ("red_flag", "r_cameras", "Veel camera's", "Many cameras"),
    ("red_flag", "r_cash", "Alleen contante betalingen", "Cash-only dealings"),
    ("red_flag", "r_straw_men", "Stromannen", "Straw men"),
    ("red_flag", "r_abc", "ABC-transacties binnen zes maanden", "ABC property transactions within six months"),
    ("red_flag", "r_value_jump", "Plotselinge waardesprong", "Sudden value jumps"),
    ("red_flag", "r_empty_barns", "Verhuur van lege schuren", "Empty barns rented out"),
]

CRITERIA = [
    (
        "concreteness",
        "Concreetheid",
        "Concreteness",
        "Zijn er concrete feiten (wie, wat, waar, wanneer)?",
        "Are there concrete facts (who, what, where, when)?",
    ),
    ("recency", "Actualiteit", "Recency", "Hoe recent zijn de feiten?", "How recent are the facts?"),
    (
        "coverage",
        "Dekking door trend- of fenomeenanalyse",
        "Covered by a trend or phenomenon analysis",
        "Past het signaal in een vastgestelde trend- of fenomeenanalyse?",
        "Does it fit an adopted trend or phenomenon analysis?",
    ),
    (
        "reliability",
        "Betrouwbaarheid van de bron",
        "Source reliability",
        "Hoe betrouwbaar is de bron gebleken?",
        "How reliable has the source proven to be?",
    ),
    (
        "seriousness",
        "Ernst",
        "Seriousness",
        "Hoe ernstig is de mogelijke ondermijning?",
        "How serious is the possible undermining?",
    ),
]

RETENTION_MONTHS = {
    "no_action": 12,
    "closed": 12,
    "referred": 12,
    "stopped": 12,
    "case_closed": 24,
    "department": 24,
    "riec": 24,
}
