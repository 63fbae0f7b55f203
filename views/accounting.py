"""Data in and its accounting: the upload box, each uploaded file's report, the accounting panel.

Uploads are read in memory for the session only; nothing is written to the server's disk. Pure:
:func:`upload_report` and :func:`accounting_title`; the rest draws.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
import streamlit as st

from incidents.loader import ENV_VAR, LoadResult
from incidents.model.dates import DAY_FIRST, MONTH_FIRST
from incidents.readers import format_labels, upload_types
from views import mapping

#: Per uploaded file: Streamlit's id for it (new on every upload), its name, the format and the date order
#: asked for, the column mapping applied to it (see :mod:`views.mapping`) and the sheet of a workbook.
UploadKey = tuple[str, str, str | None, str | None, tuple[tuple[str, str], ...] | None, str | None]
#: The upload box's choices for numeric dates that read both ways in every row.
DATE_ORDERS = {
    None: "Tell from the file (refuse if it cannot)",
    DAY_FIRST: "Day first (31/12/2025)",
    MONTH_FIRST: "Month first (12/31/2025)",
}

SOURCES = (
    "- Dossier report `000_adc269e28bd41553` (stored in `data/documents/`), coded by hand; "
    "every excerpt is a verbatim slice of it.\n"
    "- UCDP Georeferenced Event Dataset 23.1 sample, CC BY 4.0: Sundberg & Melander (2013), "
    "Davies, Pettersson & Öberg (2023).\n"
    "- Boundaries: OCHA COD-AB Pakistan (CC BY-IGO 3.0), geoBoundaries Afghanistan ADM1 "
    "(public domain), Natural Earth (public domain); see `data/geo/SOURCES.md`."
)


def upload_box(area: Any) -> tuple[tuple[UploadKey, ...], tuple[Any, ...]]:
    """Draw the upload box in ``area``; return each file's cache key and the uploaded files."""
    area.header("Add data")
    limit = st.get_option("server.maxUploadSize")
    labels = format_labels()
    files = area.file_uploader(
        "Add event files",
        type=upload_types(),
        accept_multiple_files=True,
        key="uploads",
        help=f"{', '.join(labels.values())}; up to {limit} MB per file. "
        "Files are read in memory for this session only; nothing is written to the server's disk.",
    )
    fmt = area.selectbox(
        "Read uploaded files as",
        [None, *labels],
        key="upload_format",
        format_func=lambda f: "Detect from the content" if f is None else labels[f],
    )
    order = area.selectbox(
        "Numeric dates such as 03/04/2025 are",
        list(DATE_ORDERS),
        key="upload_date_order",
        format_func=DATE_ORDERS.__getitem__,
        help="Only for a file where every numeric date reads both ways; the file is checked against what you choose.",
    )
    sheet = area.text_input("Sheet of a workbook (.xlsx)", key="upload_sheet", placeholder="the first sheet with data")
    area.caption(f"Up to {limit} MB per file. Uploaded events are marked with the dataset “upload: <file name>”.")
    files = tuple(files or ())
    keys = tuple(
        (f.file_id, f.name, fmt, order, mapping.applied(st.session_state, f.file_id), sheet.strip() or None) for f in files
    )
    return keys, files


def upload_report(result: LoadResult, upload_keys: tuple[UploadKey, ...]) -> tuple[list[str], bool]:
    """Each uploaded file's one-line accounting, and whether any of their rows were rejected."""
    names = {key[1] for key in upload_keys}
    lines = [f.summary() for f in result.files if f.file in names]
    return lines, any(r.file in names for r in result.rejected)


def render_upload_report(area: Any, result: LoadResult, upload_keys: tuple[UploadKey, ...]) -> None:
    """Under the upload box: each uploaded file's accounting, as plain text (file names are untrusted)."""
    lines, rejected = upload_report(result, upload_keys)
    for line in lines:
        area.text(line)
    if rejected:
        area.warning("Some uploaded rows were rejected: see Data accounting below the table.")


def accounting_title(result: LoadResult) -> str:
    """The accounting panel's title: accepted events, problems and repairs."""
    return (
        f"Data accounting: {len(result.events):,} accepted, {len(result.rejected):,} problems, {len(result.repaired):,} repairs"
    )


def render(result: LoadResult, notes: tuple[str, ...] = ()) -> None:
    """Draw the accounting panel (every file and store dataset, every rejected and repaired row) and the sources."""
    with st.expander(accounting_title(result), expanded=bool(result.rejected)):
        st.dataframe(pd.DataFrame([r.__dict__ for r in result.files]), hide_index=True, key="files")
        for note in notes:
            st.text(note)  # dataset and file names are untrusted: plain text
        tables = (
            (
                "Rejected: each problem that kept a row (or a whole file) out",
                result.rejected_frame,
                "rejected",
                "rejection report",
                "rejected_rows",
            ),
            (
                "How files were read where they left it open (date convention, ...)",
                result.inferred_frame,
                "inferred",
                "report of how the files were read",
                "how_files_were_read",
            ),
            (
                "Repaired: accepted rows (or whole files) changed because the repair is unambiguous",
                result.repaired_frame,
                "repaired",
                "repair report",
                "repaired_rows",
            ),
        )
        for caption, frame_of, key, what, file_name in tables:
            if getattr(result, key):
                st.caption(caption)
                frame = frame_of()
                st.dataframe(frame, hide_index=True, key=key)
                st.download_button(f"Download the {what} (CSV)", frame.to_csv(index=False), f"{file_name}.csv", "text/csv")
        st.caption(f"Extra files are read from the environment variable {ENV_VAR} (separated by '{os.pathsep}').")
    with st.expander("Sources and licences"):
        st.markdown(SOURCES)


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = ("uploads", "upload_format", "upload_date_order", "upload_sheet", "files")
SESSION_PREFIXES: tuple[str, ...] = ()
