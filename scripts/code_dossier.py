"""The review of the dossier report, replayed: writes ``data/events/dossier_<id>.csv`` and ``docs/dossier-review.md``.

Run from anywhere::

    python scripts/code_dossier.py

The dossier goes through the path every new document takes (the Documents view): it is stored
in a store (here a throwaway SQLite file), the extractor proposes candidates, and a reviewer
accepts, edits or rejects each, adding from a passage what the extractor missed. This script is
that reviewer's record. The table below holds the reviewer's decisions (what counts as an event,
its type, actors, place and date as the text gives them); for each event the candidate whose
excerpt is the event's quote is accepted with the fields the reviewer changed, and a quote no
candidate has is added as a passage first. Candidates matching no event are rejected. The
accepted events are then written as the shipped CSV, and every edit to ``docs/dossier-review.md``.

Everything derived is computed, not typed: each excerpt's character offsets are found in the
stored document (a quote must occur exactly once), and each marker position comes from
``data/geo/`` (representative point of the district, province or region the text names) or, for
towns, from the GeoNames gazetteer in ``data/geo/raw/``.

Rule for precision: code what the text says, never more. "in Balochistan" is province-level;
"March 2025" is month precision; an undated development is given the span the text bounds it
by, at year precision, and the reasoning goes into ``coding_note``.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from incidents.geo.boundaries import area_point  # noqa: E402
from incidents.intake import Intake  # noqa: E402
from incidents.model.actors import actor_table  # noqa: E402
from incidents.model.documents import load_document  # noqa: E402
from incidents.store import Documents, Review, Store  # noqa: E402
from incidents.store.review import Proposal  # noqa: E402

SOURCE_ID = "000_adc269e28bd41553"
OUT = ROOT / "data" / "events" / f"dossier_{SOURCE_ID}.csv"
REPORT = ROOT / "docs" / "dossier-review.md"
REVIEWER = "dossier coder"
GAZETTEER = ROOT / "data" / "geo" / "raw" / "gazetteer_geonames_cities1000_region.csv"

#: Where a place is drawn: (layer, feature name) for areas, ("gazetteer", "Name|CC") for towns.
PLACES = {
    "Balochistan": ("pak_provinces", "Balochistan", "province"),
    "Mastung": ("pak_districts", "Mastung", "district"),
    "Khuzdar": ("pak_districts", "Khuzdar", "district"),
    "Kashmir": ("regions", "Kashmir", "region"),
    "Pakistan": ("countries", "Pakistan", "country"),
    "Kabul": ("gazetteer", "Kabul|AF", "near"),
    "Mumbai": ("gazetteer", "Mumbai|IN", "near"),
}

REPORT_SPAN = ("2025-01-01", "2025-12-31")
REPORT_NOTE = (
    "The text does not date this; it is coded to the year of the report "
    "(written in or after June 2025, the latest development it mentions)."
)

#: The coding table: one dict per event. ``quote`` must occur exactly once in the document.
EVENTS: list[dict[str, str]] = [
    {
        "quote": "A classified Indian intelligence dossier has exposed a covert alliance between "
        "Lashkar-e-Taiba (LeT) and the Islamic State Khorasan Province (ISKP), allegedly engineered "
        "and funded by Pakistan's Inter-Services Intelligence (ISI) in Balochistan.",
        "event_type": "alliance",
        "actors": "Lashkar-e-Taiba; ISKP; ISI",
        "place": "Balochistan",
        "location": "Balochistan",
        "date_start": REPORT_SPAN[0],
        "date_end": REPORT_SPAN[1],
        "date_precision": "year",
        "coding_note": REPORT_NOTE + " Place: the text says only 'in Balochistan' (province-level).",
    },
    {
        "quote": "The dossier points to ISKP's propaganda magazine Yalgaar, which outlines plans to "
        "extend operations into Kashmir, potentially reigniting cross-border terrorism.",
        "event_type": "publication",
        "actors": "ISKP",
        "place": "Kashmir",
        "location": "Kashmir (target of the plans; where the magazine was produced is not stated)",
        "date_start": REPORT_SPAN[0],
        "date_end": REPORT_SPAN[1],
        "date_precision": "year",
        "coding_note": REPORT_NOTE + " Place: Kashmir as a whole, all administrations (region-level).",
    },
    {
        "quote": "Since 2015, he has led a private militia against Baloch separatists",
        "event_type": "militia activity",
        "actors": "Mir Shafiq Mengal militia; Baloch separatists",
        "place": "Balochistan",
        "location": "Balochistan",
        "date_start": "2015-01-01",
        "date_end": REPORT_SPAN[1],
        "date_precision": "year",
        "coding_note": "'Since 2015': coded from 2015 to the year of the report. Place is not stated "
        "in the sentence; coded province-level Balochistan, where the text places Mengal's role and bases.",
    },
    {
        "quote": "establishing bases in Mastung and Khuzdar for arms storage and cross-border raids into Afghanistan",
        "event_type": "base",
        "actors": "ISKP; Mir Shafiq Mengal militia",
        "place": "Mastung",
        "location": "Mastung",
        "date_start": "2015-01-01",
        "date_end": "2025-03-31",
        "date_precision": "year",
        "coding_note": "Set up after 2015 ('Since 2015 ... including establishing bases'); it existed by "
        "the March 2025 attack. The base's site within Mastung district is not given (district-level).",
    },
    {
        "quote": "establishing bases in Mastung and Khuzdar for arms storage and cross-border raids into Afghanistan",
        "event_type": "base",
        "actors": "ISKP; Mir Shafiq Mengal militia",
        "place": "Khuzdar",
        "location": "Khuzdar",
        "date_start": "2015-01-01",
        "date_end": REPORT_SPAN[1],
        "date_precision": "year",
        "coding_note": "Set up after 2015 ('Since 2015 ... including establishing bases'), reported in "
        "2025. The base's site within Khuzdar district is not given (district-level).",
    },
    {
        "quote": "His involvement was documented in Pakistan's 2015 Joint Investigation Team report on terror financing.",
        "event_type": "publication",
        "actors": "Joint Investigation Team (Pakistan); Mir Shafiq Mengal militia",
        "place": "Pakistan",
        "location": "Pakistan",
        "date_start": "2015-01-01",
        "date_end": "2015-12-31",
        "date_precision": "year",
        "coding_note": "A 2015 report by a Pakistani Joint Investigation Team; no place beyond Pakistan (country-level).",
    },
    {
        "quote": "Following the Taliban's 2021 takeover of Kabul",
        "event_type": "takeover",
        "actors": "Taliban",
        "place": "Kabul",
        "location": "Kabul",
        "date_start": "2021-01-01",
        "date_end": "2021-12-31",
        "date_precision": "year",
        "coding_note": "Historical reference point. The text gives the year only; drawn at Kabul city (GeoNames).",
    },
    {
        "quote": "the ISI reportedly overhauled ISKP's network in Balochistan",
        "event_type": "organisational change",
        "actors": "ISI; ISKP",
        "place": "Balochistan",
        "location": "Balochistan",
        "date_start": "2021-01-01",
        "date_end": REPORT_SPAN[1],
        "date_precision": "year",
        "coding_note": "After the Taliban's 2021 takeover of Kabul and before the report: 2021 to 2025. Province-level.",
    },
    {
        "quote": "A March 2025 attack by Baloch fighters on the Mastung base, which killed 30 militants",
        "event_type": "attack",
        "actors": "Baloch fighters; ISKP",
        "place": "Mastung",
        "location": "ISKP base, Mastung",
        "date_start": "2025-03-01",
        "date_end": "2025-03-31",
        "date_precision": "month",
        "fatalities": "30",
        "coding_note": "Target is the ISKP base in Mastung; its site within the district is not given "
        "(district-level). 30 militants killed, per the text.",
    },
    {
        "quote": "prompted the ISI to integrate LeT resources",
        "event_type": "alliance",
        "actors": "ISI; LeT; ISKP",
        "place": "Balochistan",
        "location": "Balochistan",
        "date_start": "2025-03-01",
        "date_end": "2025-06-30",
        "date_precision": "month",
        "coding_note": "After the March 2025 attack and, per the next sentence, by June 2025. "
        "Place: ISKP's network in Balochistan (province-level).",
    },
    {
        "quote": "By June 2025, LeT leaders Ashfaq and deputy Saifullah Kasuri held a Jirga\u2014a traditional "
        "Pashtun council\u2014in Balochistan, vowing jihad against perceived threats to Pakistan.",
        "event_type": "meeting",
        "actors": "LeT",
        "place": "Balochistan",
        "location": "Balochistan",
        "date_start": "2025-06-01",
        "date_end": "2025-06-30",
        "date_precision": "month",
        "coding_note": "'By June 2025': coded as June 2025 at month precision (it may have been earlier). "
        "Place: 'in Balochistan' (province-level), not a town.",
    },
    {
        "quote": "LeT has a history of orchestrating attacks like the 2008 Mumbai assaults",
        "event_type": "attack",
        "actors": "LeT",
        "place": "Mumbai",
        "location": "Mumbai",
        "date_start": "2008-01-01",
        "date_end": "2008-12-31",
        "date_precision": "year",
        "coding_note": "Historical reference point. The text gives the year only and no casualty figure; "
        "drawn at Mumbai city (GeoNames).",
    },
]

#: Developments the text mentions but neither places nor dates, left uncoded on purpose.
NOT_CODED = [
    "the photograph of Mir Shafiq Mengal presenting a pistol to Rana Mohammad Ashfaq (no place or date)",
    "ISKP 'being restructured to target anti-Pakistan forces' (no place or date; see the Balochistan overhaul)",
    "enforced disappearances and economic marginalisation in Balochistan (background, undated)",
]

COLUMNS = (
    "event_id date_start date_end date_precision event_type actors location latitude longitude geo_precision "
    "fatalities excerpt source_id excerpt_start excerpt_end coding_note"
).split()


def _gazetteer_point(key: str) -> tuple[float, float]:
    name, country = key.split("|")
    gaz = pd.read_csv(GAZETTEER, usecols=["name_ascii", "countrycode", "latitude", "longitude", "population"])
    match = gaz[(gaz["name_ascii"] == name) & (gaz["countrycode"] == country)]
    if match.empty:
        raise KeyError(f"{key} not in the gazetteer")
    best = match.sort_values("population", ascending=False).iloc[0]
    return float(best["longitude"]), float(best["latitude"])


def place_point(place: str) -> tuple[float, float, str]:
    """``(lon, lat, geo_precision)`` for a place named in the coding table."""
    layer, name, precision = PLACES[place]
    if layer == "gazetteer":
        lon, lat = _gazetteer_point(name)
    else:
        point = area_point(layer, name)
        lon, lat = point.x, point.y
    return round(lon, 4), round(lat, 4), precision


def wanted(event: dict[str, str]) -> dict[str, Any]:
    """The reviewer's values of one coded event, as the review takes them."""
    lon, lat, precision = place_point(event["place"])
    actors = actor_table()
    return {
        "date_start": event["date_start"],
        "date_end": event["date_end"],
        "date_precision": event["date_precision"],
        "event_type": event["event_type"],
        "actors": list(dict.fromkeys(actors.canonical(a.strip()) for a in event["actors"].split(";") if a.strip())),
        "location": event["location"],
        "lon": lon,
        "lat": lat,
        "geo_precision": precision,
        "fatalities": int(event["fatalities"]) if event.get("fatalities") else None,
        "coding_note": event["coding_note"],
    }


def review(store: Store) -> list[tuple[int, Proposal, dict[str, Any], Proposal]]:
    """Store the dossier, then accept, edit, add and reject as the table says; returns each event's steps."""
    doc = load_document(SOURCE_ID)
    intake = Intake(f"{SOURCE_ID}.txt", doc.text, doc.title, None, None, None, "en", "the shipped document data/documents/")
    Documents(store).add(intake, {"title": doc.title, "language": "en"}, author=REVIEWER, source_id=SOURCE_ID)
    proposals = Review(store).candidates(SOURCE_ID)
    used: set[str] = set()
    steps = []
    for n, event in enumerate(EVENTS, start=1):
        quote = event["quote"]
        count = doc.text.count(quote)
        if count != 1:
            raise SystemExit(f"event {n}: quote occurs {count} times in the document, expected once: {quote!r}")
        start, end = doc.text.index(quote), doc.text.index(quote) + len(quote)
        # the candidate whose excerpt overlaps the quote (its excerpt then moved to the quote), else a passage
        taken = next(
            (
                p
                for p in proposals
                if p.candidate_id not in used and p.fields["excerpt_start"] < end and start < p.fields["excerpt_end"]
            ),
            None,
        )
        if taken is None:
            taken = Review(store).add_passage(SOURCE_ID, start, end, author=REVIEWER)
        used.add(taken.candidate_id)
        values = {**wanted(event), "excerpt_start": start, "excerpt_end": end}
        changes = {k: v for k, v in values.items() if taken.fields.get(k) != v}
        done = Review(store).accept(taken.candidate_id, changes, base_revision=taken.revision, author=REVIEWER)
        steps.append((n, taken, changes, done))
    for p in proposals:
        if p.candidate_id not in used:
            Review(store).reject(p.candidate_id, base_revision=p.revision, author=REVIEWER)
    return steps


def write_report(steps: list[tuple[int, Proposal, dict[str, Any], Proposal]], rejected: list[Proposal], path: Path) -> None:
    """``docs/dossier-review.md``: for each event, what the extractor proposed and what the reviewer changed."""
    unaided = [s for s in steps if s[1].origin == "extractor"]
    exact = sum(1 for s in unaided if not {"excerpt_start", "excerpt_end"} & set(s[2]))
    lines = [
        "# The dossier's review",
        "",
        "Generated by `python scripts/code_dossier.py`: the dossier stored, its candidates reviewed as the Documents view",
        "reviews any document, and the accepted events written as `data/events/dossier_000_adc269e28bd41553.csv`.",
        "",
        f"The extractor proposed **{len(unaided)} of the {len(steps)}** hand-coded events unaided: a candidate whose",
        f"excerpt overlaps the event's quote, accepted with the edits below ({exact} with the quote itself; the others",
        "with the excerpt moved to the quote, which the review takes from the document's own words).",
        f"{len(steps) - len(unaided)} were added from a passage (a sentence that reports two developments gives one",
        f"candidate); {len(rejected)} candidates matched no coded event and were rejected.",
        "",
        "| event | from | fields the reviewer changed (proposed → coded) |",
        "|---|---|---|",
    ]
    for n, p, changes, _ in steps:
        origin = f"candidate {p.rank}" if p.origin == "extractor" else "a passage"
        edits = "; ".join(f"{k}: {_shown(p.fields.get(k))} → {_shown(v)}" for k, v in changes.items() if k != "coding_note")
        lines.append(f"| {n:02d} | {origin} | {edits or 'none'} |")
    lines += ["", "Rejected candidates:", ""]
    lines += [f"- candidate {p.rank}: {p.fields['event_type']}, “{p.fields['excerpt'][:90]}…”" for p in rejected] or ["- none"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(value) or "none"
    return "none" if value is None or value == "" else str(value).replace("|", "\\|")


def main(out: Path = OUT, report: Path = REPORT) -> None:
    """Review the dossier in a throwaway store and write its accepted events to ``out``, the edits to ``report``."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/review.sqlite")
        steps = review(store)
        rejected = [p for p in Review(store).candidates(SOURCE_ID) if p.status == "rejected"]
        records = {r["event_id"]: r for r in store.records()}
        store.engine.dispose()
    rows = []
    for n, _, _, done in steps:
        r = records[str(done.event_id)]
        rows.append(
            {
                "event_id": f"dossier-{SOURCE_ID[4:12]}-{n:02d}",
                "date_start": r["date_start"],
                "date_end": r["date_end"],
                "date_precision": r["date_precision"],
                "event_type": r["event_type"],
                "actors": "; ".join(r["actors"]),
                "location": r["location"],
                "latitude": r["lat"],
                "longitude": r["lon"],
                "geo_precision": r["geo_precision"],
                "fatalities": "" if r["fatalities"] is None else r["fatalities"],
                "excerpt": r["excerpt"],
                "source_id": r["source_id"],
                "excerpt_start": r["excerpt_start"],
                "excerpt_end": r["excerpt_end"],
                "coding_note": r["coding_note"],
            }
        )
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    write_report(steps, rejected, report)
    unaided = sum(1 for s in steps if s[1].origin == "extractor")
    print(f"wrote {len(rows)} events to {out.name}; the extractor proposed {unaided} of them unaided (see {report.name})")
    print("not coded (no place or date in the text):")
    for item in NOT_CODED:
        print(f"  - {item}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output CSV (default: data/events/dossier_<id>.csv)")
    parser.add_argument("--report", type=Path, default=REPORT, help="the review's record (default: docs/dossier-review.md)")
    args = parser.parse_args()
    main(args.out, args.report)
