"""Incident map: Balochistan, Kashmir and the Durand Line.

Run with ``streamlit run dashboard.py``. UI only: widgets -> a frozen EventFilter -> filtered
frame -> folium layers -> st_folium, headline counts, table and the selected incident's source.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from incidents import EventFilter, LoadResult, describe, filter_mask, load_all
from incidents.documents import load_document
from incidents.filters import from_query, to_query
from incidents.geo import LAYERS, REGION_NAMES, boundary_layer
from incidents.index import EventIndex, from_day
from incidents.loader import ENV_VAR, FORMATS, Upload, env_files
from incidents.schema import GEO_PRECISIONS
from layers import base_map, boundary_specs, clicked_incident, group_colors, incident_feature_group, install_assets
from layers.events import CELL_DEG, POINT_LIMIT, count_feature_group, incident_details

st.set_page_config(page_title="Incident map: Balochistan, Kashmir, Durand Line", layout="wide")


@st.cache_resource(show_spinner=False)
def _assets_installed() -> int:
    return len(install_assets())


@st.cache_resource(show_spinner="Loading incidents…", max_entries=2)
def _load(
    signature: tuple[tuple[str, int, int], ...],
    upload_keys: tuple[tuple[str, str, str | None], ...],
    _files: tuple,
) -> tuple[LoadResult, EventIndex, dict[str, str]]:
    """Load and index once per set of files and uploads, and give each group its colour.

    A resource, not data: the frame is shared, never copied per rerun (at a million rows a
    copy would cost seconds), and never modified. Uploads are keyed by Streamlit's id for each
    uploaded file (new on every upload), so one session's files never reach another's; their
    bytes (``_files``, the uploaded files in key order) are read only when the key is new.
    """
    uploads = [Upload(f.name, f.getvalue(), fmt) for f, (_, _, fmt) in zip(_files, upload_keys)]
    result = load_all([Path(p) for p, _, _ in signature], uploads=uploads)
    index = EventIndex.build(result.events)
    return result, index, group_colors(index.actors.counts())


def _file_signature() -> tuple[tuple[str, int, int], ...]:
    """Paths in INCIDENT_FILES with size and mtime, so an edited file is read again."""
    sig = []
    for p in env_files():
        try:
            stat = p.stat()
            sig.append((str(p), stat.st_size, stat.st_mtime_ns))
        except OSError:
            sig.append((str(p), -1, -1))
    return tuple(sig)


@st.cache_resource(show_spinner=False)
def _boundaries() -> list:
    """Encoded boundary layers, built once per server process (immutable)."""
    return boundary_specs({name: boundary_layer(name) for name in LAYERS})


def _uploads() -> tuple[tuple[tuple[str, str, str | None], ...], tuple]:
    """The sidebar's file upload: event files read in memory for this session only.

    Returns each file's cache key (Streamlit's file id, name, format asked for) and the files.
    """
    sb = st.sidebar
    sb.header("Add data")
    limit = st.get_option("server.maxUploadSize")
    files = sb.file_uploader(
        "Add event files",
        type=["csv", "geojson", "json", "parquet"],
        accept_multiple_files=True,
        key="uploads",
        help=f"ACLED export, UCDP GED, GeoJSON, the project CSV or GeoParquet; up to {limit} MB per file. "
        "Files are read in memory for this session only; nothing is written to the server's disk.",
    )
    fmt = sb.selectbox(
        "Read uploaded files as",
        [None, *FORMATS],
        key="upload_format",
        format_func=lambda f: "Detect from the content" if f is None else FORMATS[f],
    )
    sb.caption(f"Up to {limit} MB per file. Uploaded events are marked with the dataset “upload: <file name>”.")
    files = tuple(files or ())
    return tuple((f.file_id, f.name, fmt) for f in files), files


def _upload_report(result: LoadResult, upload_keys: tuple[tuple[str, str, str | None], ...]) -> None:
    """Under the uploader: each uploaded file's accounting, as plain text (file names are untrusted)."""
    names = {name for _, name, _ in upload_keys}
    for f in result.files:
        if f.file in names:
            st.sidebar.text(f.summary())
    if any(r.file in names for r in result.rejected):
        st.sidebar.warning("Some uploaded rows were rejected: see Data accounting below the table.")


def _init_state_from_url(options: dict[str, set[str]], lo: date, hi: date) -> None:
    """Once per session: set the widgets from the URL's query string."""
    if st.session_state.get("_url_loaded"):
        return
    st.session_state["_url_loaded"] = True
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    f, notes = from_query(params, options)
    start = min(max(f.date_from or lo, lo), hi)
    end = max(min(f.date_to or hi, hi), start)
    st.session_state["date_range"] = (start, end)
    st.session_state["groups"] = sorted(f.groups or [])
    st.session_state["event_types"] = sorted(f.event_types or [])
    st.session_state["regions"] = [r for r in REGION_NAMES if r in (f.regions or ())]
    st.session_state["datasets"] = sorted(f.datasets or [])
    st.session_state["search"] = f.text
    st.session_state["_url_notes"] = notes
    st.session_state["_selected_id"] = (params.get("incident") or [None])[-1]


def _sidebar(index: EventIndex, sb) -> EventFilter:
    lo = from_day(index.start_day.min()) if index.n else date(1989, 1, 1)
    hi = from_day(index.end_day.max()) if index.n else date.today()
    group_counts = index.actors.counts()
    options = {
        "groups": set(group_counts),
        "event_types": set(index.event_type.values),
        "regions": set(REGION_NAMES),
        "datasets": set(index.dataset.values),
    }
    _init_state_from_url(options, lo, hi)
    sb.header("Filters")
    picked = sb.date_input("Date range", min_value=lo, max_value=hi, key="date_range", format="YYYY-MM-DD")
    start, end = (tuple(picked) + (None, None))[:2] if isinstance(picked, (tuple, list)) else (picked, None)
    sb.caption("An incident shows if any of its possible dates falls in the range.")
    groups = sb.multiselect(
        "Groups",
        sorted(options["groups"]),
        key="groups",
        format_func=lambda g: f"{g} ({group_counts[g]})",
        placeholder="All groups",
    )
    types = sb.multiselect("Event types", sorted(options["event_types"]), key="event_types", placeholder="All types")
    regions = sb.multiselect("Regions", list(REGION_NAMES), key="regions", placeholder="Everywhere")
    datasets = sb.multiselect("Datasets", sorted(options["datasets"]), key="datasets", placeholder="All datasets")
    text = sb.text_input("Search excerpts and places", key="search")
    notes = st.session_state.get("_url_notes", [])
    if notes:
        sb.warning("Parts of the link were ignored:")
        for note in notes:
            sb.text(note)  # link parameters are untrusted: shown as text, never as markdown
    return EventFilter(
        date_from=start if start and start > lo else None,
        date_to=end if end and end < hi else None,
        groups=frozenset(groups) or None,
        event_types=frozenset(types) or None,
        regions=frozenset(regions) or None,
        datasets=frozenset(datasets) or None,
        text=text,
    )


def _headline(index: EventIndex, rows: np.ndarray) -> None:
    approx = int((index.precision[rows] >= GEO_PRECISIONS.index("district")).sum())
    fatal = index.fatalities[rows]
    cols = st.columns(4)
    cols[0].metric("Incidents shown", f"{len(rows):,}", help=f"of {index.n:,} loaded")
    cols[1].metric(
        "Fatalities (best estimates)",
        f"{int(np.nansum(fatal)):,}",
        help=f"{int(np.isnan(fatal).sum())} of the incidents shown give no figure",
    )
    cols[2].metric("Groups involved", f"{len(index.actors.counts(rows)):,}")
    cols[3].metric("Located only to an area", f"{approx:,}", help="district, province, region or country level")


#: Rows listed in the table at most (the map shows them all).
TABLE_LIMIT = 1000


#: The event columns the table shows (taking only these rows of them, not whole excerpts, is cheap).
TABLE_COLUMNS = [
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "actors",
    "location",
    "geo_precision",
    "admin1",
    "admin2",
    "fatalities",
    "dataset",
]


def _table(shown: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": shown["event_id"],
            "date_start": shown["date_start"].dt.date,
            "date_end": shown["date_end"].dt.date,
            "date_precision": shown["date_precision"].astype(str),
            "event_type": shown["event_type"],
            "groups": ["; ".join(t) for t in shown["actors"]],
            "location": shown["location"],
            "geo_precision": shown["geo_precision"].astype(str),
            "admin1": shown["admin1"],
            "admin2": shown["admin2"],
            "fatalities": shown["fatalities"],
            "dataset": shown["dataset"],
        },
        index=shown.index,
    )


def _selected_panel(events: pd.DataFrame, details: dict | None) -> None:
    """The selected incident's facts (the popup's texts) and its excerpt in the stored document."""
    st.subheader("Selected incident")
    if details is None:
        st.info("Click a marker on the map, or a row in the table, to read its source here.")
        return
    ev = events.iloc[details["key"]]
    st.text(f"{details['event_id']} · {details['event_type']} · dataset {ev['dataset']}")
    st.text("Date: " + details["date_text"])
    st.text("Groups: " + details["actors_text"])
    st.text("Place: " + details["place_text"])
    st.text("Fatalities: " + details["fatalities_text"])
    st.caption("Excerpt (verbatim)")
    st.text(details["excerpt"])
    if not pd.isna(ev["excerpt_start"]):  # readers set offsets only for stored documents
        doc = load_document(ev["source_id"])
        before, quote, after = doc.context(int(ev["excerpt_start"]), int(ev["excerpt_end"]))
        st.caption(f"In context (characters {int(ev['excerpt_start'])}–{int(ev['excerpt_end'])}, excerpt between ⟦ ⟧)")
        st.text(("…" if len(before) else "") + before + "⟦" + quote + "⟧" + after + ("…" if after else ""))
    st.caption("Source")
    st.text(details["source_title"])
    if details["source_url"] and details["source_url"].lower().startswith(("http://", "https://")):
        st.link_button("Open source", details["source_url"])
    if isinstance(ev["coding_note"], str):
        st.caption("Coding note")
        st.text(ev["coding_note"])


def _select_if_changed(source: str, state: object, key: int | None, index: EventIndex) -> None:
    """Select incident ``key`` when ``state`` of a selection source (map, table) has changed.

    Each source's last state is remembered, so a selection made in one place is not undone on
    the next rerun by the other's unchanged state.
    """
    if state == st.session_state.get(source):
        return
    st.session_state[source] = state
    if key is not None:
        st.session_state["_selected_id"] = index.event_ids[key]
        st.query_params["incident"] = st.session_state["_selected_id"]


def _apply_clicks(index: EventIndex) -> None:
    """Select what the last map or table click chose.

    A click reruns the app; it is applied before the map is built, so this run already sends
    the clicked incident's source text to its popup. The table's selected row is a position in
    the rows it listed on the previous run.
    """
    map_state = st.session_state.get("map")
    _select_if_changed(
        "_map_click", (map_state or {}).get("last_object_clicked_count"), clicked_incident(index, map_state), index
    )
    picked = tuple(st.session_state["table"]["selection"]["rows"]) if "table" in st.session_state else ()
    listed = st.session_state.get("_listed", np.array([], dtype=np.int64))
    _select_if_changed("_table_rows", picked, int(listed[picked[0]]) if picked and picked[0] < len(listed) else None, index)


def main() -> None:
    """Draw the page."""
    _assets_installed()
    filters_area = st.sidebar.container()  # filters first; the uploader below them is read before (it feeds them)
    upload_keys, files = _uploads()
    result, index, colors = _load(_file_signature(), upload_keys, files)
    _upload_report(result, upload_keys)
    events = result.events
    st.title("Incident map: Balochistan, Kashmir, Durand Line")

    f = _sidebar(index, filters_area)
    rows = np.flatnonzero(filter_mask(index, f))
    st.query_params.from_dict(
        {**to_query(f), **({"incident": st.session_state["_selected_id"]} if st.session_state.get("_selected_id") else {})}
    )
    st.text(describe(len(rows), f))  # contains group names and search text: plain text only
    _headline(index, rows)

    _apply_clicks(index)
    key = index.key_of(st.session_state.get("_selected_id"))
    details = incident_details(events, key) if key is not None else None  # for the popup and the panel

    map_col, panel_col = st.columns([2, 1])
    with map_col:
        view = st.radio(
            "Map shows", ["Markers", "Counts per grid cell"], key="map_view", horizontal=True, label_visibility="collapsed"
        )
        notice = st.empty()  # always there, so the map keeps its place on the page and is never remounted
        if view == "Markers" and len(rows) > POINT_LIMIT:
            notice.warning(
                f"{len(rows):,} incidents are more than the map draws one by one (at most {POINT_LIMIT:,}): it shows "
                f"how many fall in each {CELL_DEG}° cell instead. Narrow the filters to see markers. Nothing is left out."
            )
            view = "Counts per grid cell"
        layer = (
            incident_feature_group(index, rows, colors, selected=details)
            if view == "Markers"
            else count_feature_group(index, rows)
        )
        st_folium(
            base_map(_boundaries()),
            key="map",
            height=620,
            use_container_width=True,
            returned_objects=["last_object_clicked", "last_object_clicked_popup", "last_object_clicked_count"],
            feature_group_to_add=layer,
        )
        # its return value is read through st.session_state["map"] at the top of the next run
        st.caption(
            "Filled markers: exact or near locations. Dashed markers lettered D/P/R/C stand for a whole "
            "district, province, region or country; they do not mark a site. Boundaries: OCHA COD-AB, "
            "geoBoundaries, Natural Earth (de facto lines, labelled as such)."
        )

    st.subheader("Incidents")
    listed = index.most_recent(rows, TABLE_LIMIT)
    if len(listed) < len(rows):
        st.caption(
            f"The table lists the {len(listed):,} most recent of the {len(rows):,} incidents shown; "
            "narrow the filters to list others."
        )
    st.session_state["_listed"] = listed
    st.dataframe(
        _table(events[TABLE_COLUMNS].iloc[listed]),
        key="table",
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        width="stretch",
    )

    with panel_col:
        _selected_panel(events, details)
        if key is not None and not index.contains(rows, key):
            st.caption("This incident is outside the current filters.")

    with st.expander(
        f"Data accounting: {len(events):,} accepted, {len(result.rejected):,} problems, {len(result.repaired):,} repairs",
        expanded=bool(result.rejected),
    ):
        st.dataframe(pd.DataFrame([r.__dict__ for r in result.files]), hide_index=True, key="files")
        if result.rejected:
            st.caption("Rejected: each problem that kept a row (or a whole file) out")
            rejected = result.rejected_frame()
            st.dataframe(rejected, hide_index=True, key="rejected")
            st.download_button(
                "Download the rejection report (CSV)", rejected.to_csv(index=False), "rejected_rows.csv", "text/csv"
            )
        if result.repaired:
            st.caption("Repaired: accepted rows (or whole files) changed because the repair is unambiguous")
            repaired = result.repaired_frame()
            st.dataframe(repaired, hide_index=True, key="repaired")
            st.download_button("Download the repair report (CSV)", repaired.to_csv(index=False), "repaired_rows.csv", "text/csv")
        st.caption(f"Extra files are read from the environment variable {ENV_VAR} (separated by '{os.pathsep}').")

    with st.expander("Sources and licences"):
        st.markdown(
            "- Dossier report `000_adc269e28bd41553` (stored in `data/documents/`), coded by hand; "
            "every excerpt is a verbatim slice of it.\n"
            "- UCDP Georeferenced Event Dataset 23.1 sample, CC BY 4.0: Sundberg & Melander (2013), "
            "Davies, Pettersson & Öberg (2023).\n"
            "- Boundaries: OCHA COD-AB Pakistan (CC BY-IGO 3.0), geoBoundaries Afghanistan ADM1 "
            "(public domain), Natural Earth (public domain); see `data/geo/SOURCES.md`."
        )


main()
