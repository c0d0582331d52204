# SPDX-License-Identifier: EUPL-1.2
"""The default instrument catalogue (domain.md §5), loaded by a data migration.

Why data and not code: a municipality adds an instrument, switches one off, or sets a term of
its own policy in the admin, without a release. Terms fixed by law say so in ``deadline_basis``;
terms that are the municipality's own policy or common practice say "indicatief"/"indicative"
(docs/instruments.md lists them). Deadlines count in calendar days from the completion of the
step named in ``deadline_from`` (the previous step when empty), or from the start of the
intervention for the first step.

A step is ``(code, label_nl, label_en, deadline_days, deadline_from, deadline_basis, documents)``.
"""

from __future__ import annotations

from typing import Any

Step = tuple[str, str, str, int | None, str, str, list[str]]

ZIENSWIJZE_BASIS = "art. 4:8 Awb; termijn van twee weken is gangbare praktijk (indicatief)"


def _voornemen(days: int | None = 14, basis: str = "indicatief (lokaal beleid)") -> Step:
    return ("voornemen", "Voornemen verzonden", "Notice of intent sent", days, "", basis, ["voornemen"])


def _zienswijze() -> Step:
    return (
        "zienswijze",
        "Zienswijze ontvangen of termijn verstreken",
        "View (zienswijze) received or term expired",
        14,
        "",
        ZIENSWIJZE_BASIS,
        ["zienswijze of verslag hoorgesprek"],
    )


def _awb_tail(decision_nl: str, decision_en: str, documents: list[str], days: int | None = 14) -> list[Step]:
    """Decision, notification, objection term, decision on objection: the Awb's common tail."""
    return [
        ("besluit", decision_nl, decision_en, days, "", "indicatief (lokaal beleid)", documents),
        (
            "bekendmaking",
            "Besluit bekendgemaakt (toegezonden of uitgereikt)",
            "Decision notified (sent or handed over)",
            7,
            "",
            "art. 3:40 en 3:41 Awb; termijn indicatief",
            ["verzendbewijs of uitreikingsverklaring"],
        ),
        (
            "bezwaartermijn",
            "Bezwaartermijn verstreken of bezwaar ontvangen",
            "Objection term expired or objection received",
            42,
            "bekendmaking",
            "art. 6:7 en 6:8 Awb: zes weken vanaf de dag na bekendmaking",
            ["bezwaarschrift (als ingediend)"],
        ),
        (
            "beslissing-op-bezwaar",
            "Beslissing op bezwaar",
            "Decision on the objection",
            84,
            "bezwaartermijn",
            (
                "art. 7:10 Awb: twaalf weken met een bezwaaradviescommissie (art. 7:13), anders zes weken; "
                "verdaging met zes weken mogelijk"
            ),
            ["advies bezwaaradviescommissie", "beslissing op bezwaar"],
        ),
    ]


def _closure_steps(report_nl: str, report_en: str, closure_doc: str) -> list[Step]:
    return [
        ("rapportage", report_nl, report_en, None, "", "", ["bestuurlijke rapportage"]),
        _voornemen(),
        _zienswijze(),
        *_awb_tail(
            "Besluit tot sluiting (last onder bestuursdwang met begunstigingstermijn)",
            "Closure order (order under administrative coercion with a term to comply)",
            [closure_doc],
        )[:2],
        (
            "sluiting",
            "Sluiting uitgevoerd na afloop van de begunstigingstermijn",
            "Closure carried out after the term to comply",
            14,
            "bekendmaking",
            "art. 5:24 Awb (begunstigingstermijn); duur volgens lokaal beleid (indicatief)",
            ["proces-verbaal van sluiting", "verzegeling en bekendmaking op het pand"],
        ),
        *_awb_tail("", "", [])[2:],
    ]


INSTRUMENTS: list[dict[str, Any]] = [
    {
        "code": "bibob",
        "category": "screening",
        "label_nl": "Bibob-toets",
        "label_en": "Bibob integrity screening",
        "legal_basis": "Wet Bibob art. 3, 7a en 9; art. 30 (vragenformulier)",
        "competent_organ": "burgemeester of college (het orgaan dat over de beschikking beslist)",
        "description_nl": "Integriteitsbeoordeling bij een vergunning, subsidie, overheidsopdracht of "
        "vastgoedtransactie: eigen onderzoek, zo nodig advies van het Landelijk Bureau Bibob; uitkomst is "
        "weigeren, intrekken of voorschriften verbinden.",
        "description_en": "Integrity screening of a permit, subsidy, public contract or real-estate transaction: "
        "own research first, the advice of the Landelijk Bureau Bibob where needed; the outcome is to refuse, "
        "withdraw or add conditions.",
        "exchange_nl": "Gegevens over de betrokkene en zijn zakelijke relaties voor het eigen onderzoek; "
        "Bibob-informatie zelf is geheim (art. 28 Wet Bibob) en gaat niet terug naar het casusoverleg.",
        "exchange_en": "Data on the person concerned and their business relations for the own research; Bibob "
        "information itself is secret (art. 28 Wet Bibob) and does not go back to the case meeting.",
        "steps": [
            (
                "vragenformulier",
                "Bibob-vragenformulier ingevuld ontvangen",
                "Bibob questionnaire returned",
                28,
                "",
                "art. 30 Wet Bibob; termijn volgens lokaal beleid (indicatief)",
                ["Bibob-vragenformulier", "bijlagen"],
            ),
            (
                "eigen-onderzoek",
                "Eigen onderzoek afgerond",
                "Own research completed",
                28,
                "",
                "indicatief (lokaal beleid)",
                ["rapportage eigen Bibob-onderzoek"],
            ),
            (
                "advies-lbb",
                "Advies Landelijk Bureau Bibob ontvangen (indien gevraagd)",
                "Advice of the Landelijk Bureau Bibob received (if asked)",
                56,
                "",
                (
                    "art. 15 Wet Bibob: acht weken, eenmaal te verlengen met vier weken; de beslistermijn is zolang "
                    "opgeschort (art. 31)"
                ),
                ["adviesaanvraag", "advies LBB"],
            ),
            _voornemen(),
            _zienswijze(),
            *_awb_tail(
                "Besluit: weigeren, intrekken of voorschriften verbinden",
                "Decision: refuse, withdraw or add conditions",
                ["besluit"],
            ),
        ],
    },
    {
        "code": "closure-13b",
        "category": "closure",
        "label_nl": "Sluiting op grond van art. 13b Opiumwet (Damocles)",
        "label_en": "Closure under art. 13b Opiumwet (Damocles)",
        "legal_basis": "art. 13b Opiumwet; Damoclesbeleid; titel 5.3 Awb",
        "competent_organ": "burgemeester",
        "description_nl": "Sluiting van een woning, lokaal of erf waar drugs (lijst I of II) worden verkocht, "
        "afgeleverd of verstrekt of daartoe aanwezig zijn, of waar voorbereidingshandelingen plaatsvinden.",
        "description_en": "Closure of a dwelling, premises or yard where drugs (list I or II) are sold, delivered "
        "or supplied or present for that purpose, or where preparatory acts take place.",
        "exchange_nl": "Bestuurlijke rapportage van de politie (art. 16 Wpg) met de feiten over het pand; "
        "adres- en eigenaarsgegevens (BRP, BRK) voor de aanschrijving.",
        "exchange_en": "The police's administrative report (art. 16 Wpg) with the facts about the premises; address "
        "and owner data (BRP, BRK) for the notice.",
        "steps": _closure_steps(
            "Bestuurlijke rapportage politie ontvangen",
            "Police administrative report received",
            "besluit sluiting art. 13b Opiumwet",
        ),
    },
    {
        "code": "closure-174a",
        "category": "closure",
        "label_nl": "Sluiting op grond van art. 174a Gemeentewet (Victoria)",
        "label_en": "Closure under art. 174a Gemeentewet (Victoria)",
        "legal_basis": "art. 174a Gemeentewet; titel 5.3 Awb",
        "competent_organ": "burgemeester",
        "description_nl": "Sluiting van een woning, lokaal of erf bij verstoring van de openbare orde door "
        "gedragingen in of vanuit het pand, of ernstige vrees daarvoor; sinds 2024 ook bij geweld, bedreiging "
        "of wapens en explosieven.",
        "description_en": "Closure of a dwelling, premises or yard when conduct in or from it disturbs public order, "
        "or gives serious fear of that; since 2024 also for violence, threats, or weapons and explosives.",
        "exchange_nl": "Bestuurlijke rapportage van de politie (art. 16 Wpg) over de ordeverstoringen; "
        "meldingen van omwonenden (geanonimiseerd waar mogelijk); adres- en eigenaarsgegevens.",
        "exchange_en": "The police's administrative report (art. 16 Wpg) on the disturbances; reports by neighbours "
        "(anonymised where possible); address and owner data.",
        "steps": _closure_steps(
            "Bestuurlijke rapportage politie ontvangen",
            "Police administrative report received",
            "besluit sluiting art. 174a Gemeentewet",
        ),
    },
    {
        "code": "public-premises-174",
        "category": "closure",
        "label_nl": "Openbare inrichting: maatregel of sluiting (art. 174 Gemeentewet en APV)",
        "label_en": "Public premises: measure or closure (art. 174 Gemeentewet and APV)",
        "legal_basis": "art. 174 Gemeentewet; APV (hoofdstuk openbare inrichtingen); titel 5.3 Awb",
        "competent_organ": "burgemeester",
        "description_nl": "Toezicht op voor het publiek openstaande gebouwen (horeca, winkels, bedrijfspanden): "
        "waarschuwing, tijdelijke sluiting of andere maatregel bij overtreding van de APV.",
        "description_en": "Supervision of buildings open to the public (bars, shops, business premises): warning, "
        "temporary closure or another measure when the APV is breached.",
        "exchange_nl": "Controlebevindingen van toezichthouders en politie; vergunninggegevens van de exploitant.",
        "exchange_en": "Inspection findings of supervisors and police; the operator's permit data.",
        "steps": [
            (
                "constatering",
                "Overtreding vastgelegd (rapport van bevindingen)",
                "Breach recorded (inspection report)",
                None,
                "",
                "",
                ["rapport van bevindingen"],
            ),
            _voornemen(),
            _zienswijze(),
            *_awb_tail("Besluit (maatregel of sluiting)", "Decision (measure or closure)", ["besluit"]),
        ],
    },
    {
        "code": "permit-refusal",
        "category": "permit",
        "label_nl": "Weigering of intrekking van een vergunning (Alcoholwet, APV)",
        "label_en": "Refusal or withdrawal of a permit (Alcoholwet, APV)",
        "legal_basis": "Alcoholwet art. 27 (weigering) en 31 (intrekking); APV (exploitatievergunning)",
        "competent_organ": "burgemeester",
        "description_nl": "Een alcohol- of exploitatievergunning weigeren of intrekken, bijvoorbeeld omdat de "
        "exploitant niet voldoet aan de eisen van levensgedrag of na een Bibob-toets.",
        "description_en": "Refuse or withdraw an alcohol or operating permit, for example because the operator fails "
        "the requirements of conduct or after a Bibob screening.",
        "exchange_nl": "Vergunningdossier; antecedenten voor zover de sectorwet dat toelaat; uitkomst Bibob-toets "
        "(alleen de conclusie, niet de Bibob-informatie).",
        "exchange_en": "Permit file; antecedents as far as the sectoral law allows; outcome of a Bibob screening (the "
        "conclusion only, not the Bibob information).",
        "steps": [
            _voornemen(),
            _zienswijze(),
            *_awb_tail("Besluit tot weigering of intrekking", "Decision to refuse or withdraw", ["besluit"]),
        ],
    },
    {
        "code": "area-ban-172a",
        "category": "order",
        "label_nl": "Gebiedsverbod, groepsverbod of meldplicht (art. 172a Gemeentewet)",
        "label_en": "Area ban, group ban or reporting duty (art. 172a Gemeentewet)",
        "legal_basis": "art. 172a Gemeentewet",
        "competent_organ": "burgemeester",
        "description_nl": "Bevel aan een persoon die herhaaldelijk de openbare orde heeft verstoord (of bij "
        "groepsgewijze verstoring een leidende rol had): niet in een gebied komen, geen groepsvorming, of zich "
        "melden. Voor een vaste periode; verlenging mogelijk binnen het wettelijke maximum.",
        "description_en": "Order to a person who repeatedly disturbed public order (or led a group that did): stay out "
        "of an area, no groups, or report at set times. For a fixed period; may be extended within the legal "
        "maximum.",
        "exchange_nl": "Politiegegevens over de verstoringen (art. 16 Wpg); BRP-gegevens van de betrokkene.",
        "exchange_en": "Police data on the disturbances (art. 16 Wpg); BRP data of the person concerned.",
        "steps": [
            _voornemen(7, "indicatief; bij spoed kan het horen vervallen (art. 4:11 Awb)"),
            (
                "zienswijze",
                "Zienswijze ontvangen of termijn verstreken",
                "View (zienswijze) received or term expired",
                7,
                "",
                "art. 4:8 Awb; kortere termijn bij ordeverstoring (indicatief)",
                ["zienswijze of verslag hoorgesprek"],
            ),
            *_awb_tail(
                "Bevel (gebiedsverbod, groepsverbod of meldplicht)",
                "Order (area ban, group ban or reporting duty)",
                ["bevel art. 172a"],
                days=7,
            ),
            (
                "evaluatie",
                "Evaluatie: beëindigen of verlengen",
                "Review: end or extend",
                90,
                "bekendmaking",
                "art. 172a lid 4 Gemeentewet: per bevel ten hoogste drie maanden, verlenging mogelijk",
                ["evaluatienotitie", "verlengingsbesluit (indien verlengd)"],
            ),
        ],
    },
    {
        "code": "housing-nuisance-151d",
        "category": "order",
        "label_nl": "Gedragsaanwijzing bij woonoverlast (art. 151d Gemeentewet)",
        "label_en": "Behavioural order for housing nuisance (art. 151d Gemeentewet)",
        "legal_basis": "art. 151d Gemeentewet; APV (bevoegdheid door de raad toegekend); titel 5.3 Awb",
        "competent_organ": "burgemeester",
        "description_nl": "Gedragsaanwijzing aan wie een woning gebruikt of in gebruik geeft, bij ernstige en "
        "herhaaldelijke hinder voor omwonenden; handhaving met een last onder bestuursdwang of dwangsom.",
        "description_en": "Behavioural order to whoever uses a dwelling or lets it, for serious and repeated nuisance "
        "to neighbours; enforced by an order under administrative coercion or a penalty order.",
        "exchange_nl": "Overlastmeldingen en verslagen (woningcorporatie, politie, wijkteam); adresgegevens.",
        "exchange_en": "Nuisance reports and records (housing association, police, neighbourhood team); address data.",
        "steps": [
            (
                "waarschuwing",
                "Waarschuwing gegeven",
                "Warning given",
                None,
                "",
                "lokaal beleid",
                ["waarschuwingsbrief"],
            ),
            _voornemen(),
            _zienswijze(),
            *_awb_tail("Gedragsaanwijzing opgelegd", "Behavioural order imposed", ["besluit gedragsaanwijzing"]),
        ],
    },
    {
        "code": "emergency-order-175",
        "category": "order",
        "label_nl": "Noodbevel (art. 175 Gemeentewet)",
        "label_en": "Emergency order (art. 175 Gemeentewet)",
        "legal_basis": "art. 175 Gemeentewet",
        "competent_organ": "burgemeester",
        "description_nl": "Bevel bij oproerige beweging, ernstige wanordelijkheden, rampen of ernstige vrees "
        "daarvoor; zonder voorafgaande zienswijze, wel met verantwoording aan de raad.",
        "description_en": "Order in case of riots, serious disorder, disasters or serious fear of these; without a "
        "prior view, but accounted for to the council.",
        "exchange_nl": "Actuele politie-informatie over de dreiging (art. 16 Wpg).",
        "exchange_en": "Current police information on the threat (art. 16 Wpg).",
        "steps": [
            ("bevel", "Noodbevel gegeven", "Emergency order given", 1, "", "onverwijld", ["noodbevel"]),
            (
                "bekendmaking",
                "Noodbevel bekendgemaakt",
                "Emergency order notified",
                1,
                "",
                "art. 3:41 Awb; onverwijld",
                ["bekendmaking"],
            ),
            (
                "verantwoording",
                "Verantwoording aan de gemeenteraad",
                "Accounting to the municipal council",
                30,
                "",
                "art. 180 Gemeentewet; termijn indicatief",
                ["raadsinformatiebrief"],
            ),
            *_awb_tail("", "", [])[2:],
        ],
    },
    {
        "code": "penalty-order",
        "category": "enforcement",
        "label_nl": "Last onder dwangsom",
        "label_en": "Order subject to a penalty (last onder dwangsom)",
        "legal_basis": "art. 5:31d–5:39 Awb; art. 125 Gemeentewet; sectorale wet of APV voor de overtreden norm",
        "competent_organ": "college van B&W of burgemeester (naar de overtreden norm)",
        "description_nl": "Herstelsanctie: de overtreder moet binnen de begunstigingstermijn de overtreding "
        "beëindigen, anders verbeurt een dwangsom; daarna invordering.",
        "description_en": "Remedial sanction: the offender must end the breach within the term to comply, otherwise a "
        "penalty is forfeited; then collection.",
        "exchange_nl": "Rapport van bevindingen van de toezichthouder; eigenaars- en gebruikersgegevens (BRK, BRP, "
        "KvK).",
        "exchange_en": "The supervisor's inspection report; owner and user data (BRK, BRP, KvK).",
        "steps": [
            (
                "constatering",
                "Overtreding vastgelegd (rapport van bevindingen)",
                "Breach recorded (inspection report)",
                None,
                "",
                "",
                ["rapport van bevindingen"],
            ),
            _voornemen(),
            _zienswijze(),
            (
                "last",
                "Last onder dwangsom opgelegd met begunstigingstermijn",
                "Penalty order imposed with a term to comply",
                14,
                "",
                "art. 5:32a Awb (begunstigingstermijn in de last); beslistermijn indicatief",
                ["last onder dwangsom"],
            ),
            (
                "bekendmaking",
                "Last bekendgemaakt",
                "Order notified",
                7,
                "",
                "art. 3:41 Awb; termijn indicatief",
                ["verzendbewijs of uitreikingsverklaring"],
            ),
            (
                "hercontrole",
                "Hercontrole na afloop van de begunstigingstermijn",
                "Re-inspection after the term to comply",
                28,
                "bekendmaking",
                "begunstigingstermijn volgens de last (indicatief: vier weken)",
                ["rapport hercontrole"],
            ),
            (
                "invordering",
                "Invorderingsbeschikking (bij verbeurte)",
                "Collection decision (if forfeited)",
                42,
                "hercontrole",
                (
                    "art. 5:33 Awb: betaling binnen zes weken na verbeurte; art. 5:37 Awb invorderingsbeschikking; "
                    "verjaring na één jaar (art. 5:35)"
                ),
                ["invorderingsbeschikking"],
            ),
            *_awb_tail("", "", [])[2:],
        ],
    },
    {
        "code": "administrative-coercion",
        "category": "enforcement",
        "label_nl": "Last onder bestuursdwang",
        "label_en": "Order under administrative coercion (bestuursdwang)",
        "legal_basis": "art. 5:21–5:30 Awb; art. 125 Gemeentewet",
        "competent_organ": "college van B&W of burgemeester (naar de overtreden norm)",
        "description_nl": "Herstelsanctie: de gemeente beëindigt de overtreding zelf als de overtreder dat niet "
        "binnen de begunstigingstermijn doet, op kosten van de overtreder.",
        "description_en": "Remedial sanction: the municipality ends the breach itself if the offender does not within "
        "the term to comply, at the offender's cost.",
        "exchange_nl": "Rapport van bevindingen; eigenaars- en gebruikersgegevens (BRK, BRP, KvK).",
        "exchange_en": "Inspection report; owner and user data (BRK, BRP, KvK).",
        "steps": [
            (
                "constatering",
                "Overtreding vastgelegd (rapport van bevindingen)",
                "Breach recorded (inspection report)",
                None,
                "",
                "",
                ["rapport van bevindingen"],
            ),
            _voornemen(),
            _zienswijze(),
            (
                "last",
                "Last onder bestuursdwang opgelegd met begunstigingstermijn",
                "Order under administrative coercion imposed with a term to comply",
                14,
                "",
                "art. 5:24 Awb (begunstigingstermijn in de last); beslistermijn indicatief",
                ["last onder bestuursdwang"],
            ),
            (
                "bekendmaking",
                "Last bekendgemaakt",
                "Order notified",
                7,
                "",
                "art. 3:41 Awb; termijn indicatief",
                ["verzendbewijs of uitreikingsverklaring"],
            ),
            (
                "uitvoering",
                "Bestuursdwang uitgevoerd (indien niet opgevolgd)",
                "Administrative coercion carried out (if not complied with)",
                28,
                "bekendmaking",
                "begunstigingstermijn volgens de last (indicatief: vier weken)",
                ["proces-verbaal uitvoering"],
            ),
            (
                "kostenverhaal",
                "Kostenverhaal",
                "Recovery of costs",
                42,
                "",
                "art. 5:25 Awb; termijn indicatief",
                ["kostenbeschikking"],
            ),
            *_awb_tail("", "", [])[2:],
        ],
    },
    {
        "code": "administrative-fine",
        "category": "sanction",
        "label_nl": "Bestuurlijke boete",
        "label_en": "Administrative fine",
        "legal_basis": "titel 5.4 Awb (art. 5:40–5:54); bevoegdheid in de sectorale wet (bijv. Alcoholwet, "
        "Huisvestingswet 2014, Wet goed verhuurderschap)",
        "competent_organ": "het orgaan dat de sectorale wet aanwijst (burgemeester of college)",
        "description_nl": "Bestraffende sanctie voor een overtreding waarvoor de sectorale wet een boete toestaat.",
        "description_en": "Punitive sanction for a breach for which the sectoral law allows a fine.",
        "exchange_nl": "Boeterapport (art. 5:48 Awb); gegevens over de overtreder en eerdere overtredingen (recidive).",
        "exchange_en": "Fine report (art. 5:48 Awb); data on the offender and earlier breaches (recidivism).",
        "steps": [
            (
                "rapport",
                "Boeterapport opgemaakt",
                "Fine report drawn up",
                None,
                "",
                "art. 5:48 Awb",
                ["boeterapport"],
            ),
            (
                "voornemen",
                "Voornemen tot beboeting verzonden",
                "Notice of intent to fine sent",
                14,
                "",
                "art. 5:50 en 5:53 Awb; termijn indicatief",
                ["voornemen tot beboeting", "boeterapport"],
            ),
            _zienswijze(),
            (
                "besluit",
                "Boetebeschikking",
                "Fine decision",
                91,
                "rapport",
                "art. 5:51 Awb: beslissen binnen dertien weken na de dagtekening van het rapport",
                ["boetebeschikking"],
            ),
            (
                "bekendmaking",
                "Boetebeschikking bekendgemaakt",
                "Fine decision notified",
                7,
                "",
                "art. 3:41 Awb; termijn indicatief",
                ["verzendbewijs"],
            ),
            (
                "betaling",
                "Betaling ontvangen of invordering gestart",
                "Payment received or collection started",
                42,
                "bekendmaking",
                "art. 4:87 Awb: betaling binnen zes weken na bekendmaking",
                ["betalingsbewijs of aanmaning"],
            ),
            *_awb_tail("", "", [])[2:],
        ],
    },
    {
        "code": "housing-permits",
        "category": "housing",
        "label_nl": "Opkoopbescherming en verhuurvergunning (Huisvestingswet, Wet goed verhuurderschap)",
        "label_en": "Buy-to-let protection and rental permit (Huisvestingswet, Wet goed verhuurderschap)",
        "legal_basis": "Huisvestingswet 2014 (opkoopbescherming, huisvestingsverordening); Wet goed "
        "verhuurderschap (verhuurvergunning, boete, beheerovername)",
        "competent_organ": "college van B&W",
        "description_nl": "Handhaving van de opkoopbescherming en van de regels voor goed verhuurderschap: "
        "vergunning weigeren of intrekken, boete, of als uiterste middel beheerovername.",
        "description_en": "Enforcing buy-to-let protection and the rules of good landlordship: refuse or withdraw a "
        "permit, fine, or as a last resort take over management.",
        "exchange_nl": "Eigendoms- en inschrijvingsgegevens (BRK, BRP); verhuurmeldingen; klachten van huurders "
        "(geanonimiseerd waar mogelijk).",
        "exchange_en": "Ownership and registration data (BRK, BRP); rental notifications; tenants' complaints "
        "(anonymised where possible).",
        "steps": [
            (
                "constatering",
                "Overtreding vastgelegd (rapport van bevindingen)",
                "Breach recorded (inspection report)",
                None,
                "",
                "",
                ["rapport van bevindingen"],
            ),
            _voornemen(),
            _zienswijze(),
            *_awb_tail(
                "Besluit (weigering, intrekking, boete of beheerovername)",
                "Decision (refusal, withdrawal, fine or management takeover)",
                ["besluit"],
            ),
        ],
    },
    {
        "code": "stopgesprek",
        "category": "conversation",
        "label_nl": "Stopgesprek",
        "label_en": "Stop conversation (stopgesprek)",
        "legal_basis": "geen besluit; taak van de burgemeester voor de openbare orde (art. 172 Gemeentewet)",
        "competent_organ": "burgemeester",
        "description_nl": "Gesprek waarin de betrokkene te horen krijgt dat de overheid zijn activiteiten ziet en "
        "dat zij moeten stoppen; vooraf afgestemd met politie en OM om opsporing niet te schaden.",
        "description_en": "A conversation telling the person that government sees their activities and that they "
        "must stop; agreed beforehand with police and prosecution so as not to harm an investigation.",
        "exchange_nl": "Alleen wat nodig is om de betrokkene aan te spreken; afstemming met OM en politie.",
        "exchange_en": "Only what is needed to address the person; coordination with prosecution and police.",
        "steps": [
            (
                "voorbereiding",
                "Gesprek voorbereid en afgestemd met politie en OM",
                "Conversation prepared and agreed with police and prosecution",
                14,
                "",
                "indicatief",
                ["gespreksnotitie"],
            ),
            ("gesprek", "Gesprek gevoerd", "Conversation held", 14, "", "indicatief", ["gespreksverslag"]),
            (
                "nazorg",
                "Opvolging en monitoring",
                "Follow-up and monitoring",
                90,
                "",
                "indicatief",
                ["monitoringsnotitie"],
            ),
        ],
    },
    {
        "code": "administrative-report-request",
        "category": "information",
        "label_nl": "Verzoek om een bestuurlijke rapportage (politie, OM, RIEC)",
        "label_en": "Request for an administrative report (police, prosecution, RIEC)",
        "legal_basis": "art. 16 Wet politiegegevens; art. 39f Wet justitiële en strafvorderlijke gegevens; "
        "RIEC-LIEC-convenant",
        "competent_organ": "burgemeester",
        "description_nl": "Verzoek aan politie, OM of RIEC om informatie die nodig is voor een bestuurlijke "
        "maatregel, vastgelegd in een bestuurlijke rapportage.",
        "description_en": "Request to police, prosecution or RIEC for the information an administrative measure "
        "needs, set down in an administrative report.",
        "exchange_nl": "De vraag en het doel (welke maatregel) en de gegevens die nodig zijn om de juiste "
        "personen en panden te vinden.",
        "exchange_en": "The question and its purpose (which measure) and the data needed to find the right persons "
        "and premises.",
        "steps": [
            ("verzoek", "Verzoek verzonden", "Request sent", 7, "", "indicatief", ["verzoek bestuurlijke rapportage"]),
            (
                "ontvangst",
                "Bestuurlijke rapportage ontvangen",
                "Administrative report received",
                28,
                "",
                "indicatief (afspraak met de partner)",
                ["bestuurlijke rapportage"],
            ),
            (
                "beoordeling",
                "Rapportage beoordeeld en vervolg bepaald",
                "Report assessed and next step decided",
                14,
                "",
                "indicatief",
                ["beoordelingsnotitie"],
            ),
        ],
    },
    {
        "code": "riec-referral",
        "category": "information",
        "label_nl": "Doorverwijzing naar het RIEC (integrale casus)",
        "label_en": "Referral to the RIEC (integrated case)",
        "legal_basis": "RIEC-LIEC-convenant; art. 20 Wet politiegegevens; AVG art. 6 lid 1 sub e",
        "competent_organ": "burgemeester",
        "description_nl": "De casus inbrengen bij het RIEC voor een integrale aanpak met bestuurlijke, "
        "strafrechtelijke en fiscale partners; het pakket bevat alleen wat privacytoets 2A/2B toestaat.",
        "description_en": "Bring the case to the RIEC for an integrated approach with administrative, criminal and "
        "fiscal partners; the package holds only what privacy checks 2A/2B allow.",
        "exchange_nl": "De gegevens die privacytoets 2A voor het RIEC toestaat en 2B voor deze verwijzing.",
        "exchange_en": "The data that privacy check 2A allows for the RIEC and 2B for this referral.",
        "is_riec_referral": True,
        "steps": [
            (
                "aanmelding",
                "Casus aangemeld bij het RIEC",
                "Case submitted to the RIEC",
                14,
                "",
                "indicatief",
                ["verwijzingspakket", "begeleidende brief"],
            ),
            (
                "intake",
                "Intake en besluit RIEC over integrale casus",
                "RIEC intake and decision on an integrated case",
                42,
                "",
                "indicatief (werkafspraken RIEC)",
                ["besluit RIEC"],
            ),
            (
                "terugkoppeling",
                "Terugkoppeling van het RIEC ontvangen",
                "Feedback from the RIEC received",
                90,
                "",
                "indicatief",
                ["terugkoppeling"],
            ),
        ],
    },
    {
        "code": "sector-resilience",
        "category": "prevention",
        "label_nl": "Preventie: weerbaarheid van sectoren",
        "label_en": "Prevention: resilience of sectors",
        "legal_basis": "geen besluit; preventietaak gemeente (beleid)",
        "competent_organ": "college van B&W",
        "description_nl": "Bewustwording en weerbaarheid van sectoren die misbruikt worden: makelaars, notarissen, "
        "agrariërs, vakantieparken.",
        "description_en": "Awareness and resilience of sectors that are misused: estate agents, notaries, farmers, "
        "holiday parks.",
        "exchange_nl": "Geen persoonsgegevens uit de casus; alleen geanonimiseerde patronen.",
        "exchange_en": "No personal data from the case; anonymised patterns only.",
        "steps": [
            ("analyse", "Analyse van de sector", "Sector analysis", 42, "", "indicatief", ["analyse"]),
            (
                "bijeenkomst",
                "Voorlichting of bijeenkomst gehouden",
                "Briefing or meeting held",
                42,
                "",
                "indicatief",
                ["presentatie", "verslag"],
            ),
            ("evaluatie", "Evaluatie", "Evaluation", 90, "", "indicatief", ["evaluatie"]),
        ],
    },
    {
        "code": "preventie-met-gezag",
        "category": "prevention",
        "label_nl": "Preventie met Gezag (gebiedsgerichte jeugdpreventie)",
        "label_en": "Preventie met Gezag (area-based youth prevention)",
        "legal_basis": "geen besluit; programma Preventie met Gezag (Rijk en gemeenten)",
        "competent_organ": "college van B&W",
        "description_nl": "Gebiedsgerichte preventie om te voorkomen dat jongeren in de criminaliteit belanden "
        "of daarvoor worden uitgebuit.",
        "description_en": "Area-based prevention to keep young people out of crime and from being exploited for it.",
        "exchange_nl": "Geen persoonsgegevens uit de casus, tenzij een sectorale grondslag (bijv. Jeugdwet) dat "
        "toelaat; anders alleen gebiedsinformatie.",
        "exchange_en": "No personal data from the case unless a sectoral basis (e.g. Jeugdwet) allows it; otherwise "
        "area information only.",
        "steps": [
            ("gebiedsanalyse", "Gebiedsanalyse", "Area analysis", 42, "", "indicatief", ["gebiedsanalyse"]),
            ("plan", "Plan van aanpak met partners", "Plan with partners", 42, "", "indicatief", ["plan van aanpak"]),
            (
                "uitvoering",
                "Uitvoering en monitoring",
                "Execution and monitoring",
                180,
                "",
                "indicatief",
                ["voortgangsrapportage"],
            ),
            ("evaluatie", "Evaluatie", "Evaluation", 90, "", "indicatief", ["evaluatie"]),
        ],
    },
]
