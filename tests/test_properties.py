"""Property-based tests: whatever a file holds, importers raise only the project's error and account for every row."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from incidents import IncidentDataError
from incidents.loader import Upload, load_all
from incidents.readers import acled, project_csv, read_data, ucdp
from tests.hostile import HOSTILE

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Plausible values for every kind of column, so generated rows are sometimes accepted.
PLAUSIBLE = [
    "1", "2", "3", "7", "0", "-1", "1.5", "", " ", "nan", "inf", "1e400",
    "2025-03-14", "2025-03", "2025", "14 March 2025", "2025-02-30", "1989-03-18",
    "29.8", "66.85", "66.8455", "29.7997", "-91", "181",
    "exact", "near", "district", "province", "region", "country", "EXACT", "day", "month", "year",
    "Pakistan", "PAK", "India", "Lashkar-e-Taiba", "LeT; ISKP", "https://example.org/x", "javascript:alert(1)",
    "000_adc269e28bd41553", "../etc/passwd",
]  # fmt: skip
CELL = st.one_of(st.sampled_from(PLAUSIBLE), st.sampled_from(HOSTILE), st.text(max_size=40))


def _csv(columns: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


#: Values valid for a column, so that most generated rows are accepted and some are not.
VALID = {
    "event_id": ["e1", "e2", "x-9", "{{ 7*7 }}"],
    "event_id_cnty": ["PAK1", "PAK2", "AFG3"],
    "id": ["1", "2", "3"],
    "relid": ["PAK-1", "PAK-2"],
    "date_start": ["2025-03-14", "2025-03", "2025"],
    "date_end": ["2025-03-20", "2025"],
    "event_date": ["2025-03-14", "14 March 2025"],
    "time_precision": ["1", "2", "3"],
    "date_prec": ["1", "2", "3", "4", "5"],
    "latitude": ["29.8", "66.85", "27.8"],
    "longitude": ["66.85", "29.8", "66.6"],
    "geo_precision": ["exact", "district", "1", "2", "3"],
    "where_prec": ["1", "3", "7"],
    "type_of_violence": ["1", "2", "3"],
    "excerpt": HOSTILE[:10],
    "notes": HOSTILE[10:20],
    "source_article": HOSTILE[20:30],
    "best": ["0", "3", ""],
    "low": ["0", ""],
    "high": ["3", ""],
    "country": ["Pakistan", "PAK", ""],
}


def _cell(column: str) -> st.SearchStrategy[str]:
    valid = VALID.get(column, ["", *HOSTILE[30:]])
    return st.integers(0, 5).flatmap(lambda n: CELL if n == 0 else st.sampled_from(valid))


def _rows(columns: list[str]) -> st.SearchStrategy[list[list[str]]]:
    """Rows for ``columns``: mostly valid cells, some garbage, and now and then a cell too many or too few."""
    row = st.tuples(*[_cell(c) for c in columns]).map(list)
    odd = st.tuples(row, st.sampled_from([-1, 1]), CELL).map(lambda r: r[0][: r[1]] if r[1] < 0 else [*r[0], r[2]])
    return st.lists(st.one_of(row, row, row, odd), max_size=8)


def _accounted(data: bytes, name: str, *, rows: int | None = None) -> int:
    """Read ``data``: either one clear whole-file error, or every row accepted or rejected; returns how many were accepted.

    ``rows``, when the file was written with a known header and that many rows: every one of them
    must be read (a whole-file error may then only name the row the CSV module could not split).
    """
    try:
        result, _ = read_data(data, name=name)
    except IncidentDataError as exc:
        assert exc.problems and all(p.file == name for p in exc.problems)
        if rows is not None:
            assert [p.row is not None and p.reason.startswith("not readable as CSV") for p in exc.problems] == [True]
        return 0
    if rows is not None:
        assert result.n_input == rows
    assert len(result.events) + result.rejected_rows + result.merged == result.n_input
    assert result.events.index.is_unique
    assert all(r.file == name and r.reason for r in result.rejected)
    accepted_rows = set(result.events.index)
    assert not accepted_rows & {r.row for r in result.rejected}
    return len(result.events)


@SETTINGS
@given(st.data())
def test_any_rows_under_a_known_header_are_accounted_for(data):
    fmt = data.draw(st.sampled_from(["acled", "ucdp", "native"]))
    required = {"acled": acled.REQUIRED, "ucdp": ucdp.REQUIRED, "native": project_csv.REQUIRED}[fmt]
    optional = {
        "acled": ("assoc_actor_1", "actor2", "country", "fatalities", "source"),
        "ucdp": ("country",),
        "native": project_csv.OPTIONAL,
    }[fmt]
    extra = data.draw(st.lists(st.sampled_from(optional), unique=True))
    columns = list(required) + extra
    rows = data.draw(_rows(columns))
    accepted = _accounted(_csv(columns, rows), f"generated-{fmt}.csv", rows=len(rows))
    event("some rows accepted" if accepted else "nothing accepted")


@SETTINGS
@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_the_project_error(blob):
    _accounted(blob, "blob.bin")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | CELL,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(CELL, children, max_size=4),
    max_leaves=12,
)
POINT = st.fixed_dictionaries(
    {"type": st.sampled_from(["Point", "Polygon", "LineString", "MultiPolygon", "nonsense"]), "coordinates": JSON}
) | st.builds(lambda x, y: {"type": "Point", "coordinates": [x, y]}, st.floats(-200, 200), st.floats(-100, 100))
#: Properties: the required ones mostly valid (sometimes any JSON), the optional ones anything.
PROPS = st.fixed_dictionaries(
    {k: st.one_of(_cell(k), _cell(k), _cell(k), JSON) for k in ("event_id", "date_start", "excerpt", "geo_precision")},
    optional={k: st.one_of(CELL, JSON) for k in ("actors", "country", "fatalities", "date_end", "source_url")},
)
FEATURE = st.one_of(
    st.builds(lambda p, g: {"type": "Feature", "properties": p, "geometry": g}, PROPS, st.one_of(st.none(), POINT)), JSON
)


@SETTINGS
@given(st.lists(FEATURE, max_size=8), st.one_of(st.none(), JSON))
def test_any_geojson_features_are_accounted_for(features, crs):
    doc = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        doc["crs"] = crs
    accepted = _accounted(json.dumps(doc).encode("utf-8"), "generated.geojson")
    event("some features accepted" if accepted else "nothing accepted")


@settings(max_examples=25, deadline=None)
@given(_rows(list(project_csv.REQUIRED)), st.text(min_size=1, max_size=30))
def test_uploads_keep_accepted_plus_rejected_equal_to_input(rows, name):
    upload = Upload(name + ".csv", _csv(list(project_csv.REQUIRED), rows))
    result = load_all([], shipped=False, uploads=[upload])
    (report,) = result.files
    if report.format == "unreadable":  # only a row the CSV module cannot split (a NUL byte) refuses the file
        (problem,) = result.rejected
        assert problem.row is not None and problem.reason.startswith("not readable as CSV")
    else:
        assert report.format == "native"
        assert report.accepted + report.rejected == report.rows == len(rows)
        assert len(result.events) == report.accepted
