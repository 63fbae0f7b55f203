"""The column reader reads every file exactly as the row reader does: the same events, rejections, repairs and inferences."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as hst

from incidents.readers import _columnar as columnar
from incidents.readers import acled, project_csv, ucdp
from incidents.readers._csvfile import _MOJIBAKE, has_mojibake, read_csv
from incidents.readers._rows import ReadOptions, decode_text
from incidents.readers.mapped_csv import read_mapped
from tests.conftest import DATA, ROOT
from tests.hostile import HOSTILE

LAYOUTS = [(acled.LAYOUT, acled.matches), (ucdp.LAYOUT, ucdp.matches), (project_csv.LAYOUT, project_csv.matches)]


def _both(layout, text, options=None):
    """The file read by columns (as the readers do) and by rows only (``layout`` None: a mapped table)."""
    results, options = [], options or ReadOptions()
    for by_rows in (False, True):
        with mock.patch.object(columnar, "split", return_value=None) if by_rows else contextlib.nullcontext():
            try:
                if layout is None:
                    results.append(read_mapped(text, name="f.csv", dataset="d", options=options))
                else:
                    results.append(read_csv(layout, text, name="f.csv", dataset="d", options=options))
            except Exception as exc:  # noqa: BLE001 - the same refusal both ways is part of the comparison
                results.append(exc)
    return results


def _same(by_columns, by_rows):
    if isinstance(by_rows, Exception):
        assert type(by_columns) is type(by_rows) and str(by_columns) == str(by_rows)
        return
    assert not isinstance(by_columns, Exception), by_columns
    assert by_columns.rejected == by_rows.rejected
    assert by_columns.repaired == by_rows.repaired
    assert by_columns.inferred == by_rows.inferred
    assert (by_columns.n_input, by_columns.merged) == (by_rows.n_input, by_rows.merged)
    pd.testing.assert_frame_equal(by_columns.events, by_rows.events, check_index_type=True)


def _csv(header, rows, *, first=None):
    """A CSV of ``rows`` under ``header`` (``first``: a row written before them, such as HXL tags)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    if first is not None:
        writer.writerow(first)
    writer.writerows(rows)
    return out.getvalue()


def _same_both_ways(layout, text, options=None):
    """Read ``text`` both ways, compare, and tell hypothesis whether any row was accepted."""
    by_columns, by_rows = _both(layout, text, options)
    _same(by_columns, by_rows)
    if not isinstance(by_rows, Exception):
        event(f"accepted: {'some' if len(by_rows.events) else 'none'}")


def _swapped(rows):
    """Rows drawn with a coin: heads, latitude and longitude trade places."""
    return [{**row, "latitude": row["longitude"], "longitude": row["latitude"]} if swap else row for row, swap in rows]


def _csv_files():
    for path in sorted([*DATA.glob("*.csv"), *(DATA / "wild").glob("*.csv"), *(ROOT / "data" / "events").glob("*.csv")]):
        text, _ = decode_text(path.read_bytes(), path.name)
        header = set(next(csv.reader(io.StringIO(text, newline="")), []))
        yield (
            path,
            next((layout for layout in (acled.LAYOUT,) if layout.what == "an ACLED export" and acled.matches(header)), None),
        )


@pytest.mark.parametrize(("path", "layout"), list(_csv_files()), ids=lambda p: getattr(p, "name", ""))
def test_every_csv_fixture_reads_the_same_by_columns_and_by_rows(path, layout):
    """ACLED files in their layout; every CSV also as a mapped table (most are refused the same way, or read)."""
    text, _ = decode_text(path.read_bytes(), path.name)
    if layout is not None:
        _same(*_both(layout, text))
    _same(*_both(None, text))


def test_the_column_reader_is_used_and_reads_a_clean_file_without_the_row_reader():
    """A clean file is read by columns alone: no row goes through the row parser."""
    text = (DATA / "acled_style_ucdp_sample.csv").read_text(encoding="utf-8")
    rows_read = []
    layout = dataclasses.replace(acled.LAYOUT, parse_row=lambda check, *a: rows_read.append(check.number) or {})
    result = read_csv(layout, text, name="f.csv", dataset="d")
    assert len(result.events) > 0 and rows_read == []  # every accepted row came from the columns


def test_files_the_column_reader_cannot_split_as_the_csv_module_does_are_left_to_the_row_reader():
    assert columnar.split("a,b\n1,2,3\n", ["a", "b"]) is None  # a row longer than the header
    assert columnar.split('"a\nb",c\n1,2\n', ["a\nb", "c"]) is None  # a header over two lines
    table = columnar.split('a,b\r"x\r\ny",2\r\r3,4', ["a", "b"])
    assert table is not None and table.to_pydict() == {"c0": ["x\r\ny", "3"], "c1": ["2", "4"]}


_HEADER = ["event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1"]
_HEADER += ["actor2", "country", "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities"]


def _plain(text):
    """Without the mark of mojibake, which sends a whole file to the row reader (its repair is the row reader's)."""
    return not _MOJIBAKE.search(text)


_odd = hst.sampled_from(["", " ", "\u00a0", "\x1c", "x", "0", "-4", "1.5", "nan", "inf", "1e3", " 2 "])
_text = hst.one_of(
    hst.sampled_from(["Quetta", " Quetta ", "Mastung\u00a0", "", " "]), hst.sampled_from(HOSTILE), hst.text(max_size=12)
)


def _mostly(good, odd=_odd, *, one_in=4):
    """Valid values but one time in ``one_in``, so that rows are accepted about as often as refused."""
    return hst.integers(1, one_in).flatmap(lambda k: odd if k == 1 else good)


_odd_coord = hst.sampled_from(["66.99", "30.18", "", "x", " 30.2 ", "1_000", "inf", "95.5", "-200"])
_lat = _mostly(hst.floats(min_value=24, max_value=36).map(lambda v: f"{v:.4f}"), _odd_coord)
_lon = _mostly(hst.floats(min_value=60, max_value=72).map(lambda v: f"{v:.4f}"), _odd_coord)
_row = hst.fixed_dictionaries(
    {
        "event_id_cnty": _mostly(hst.integers(1, 60).map(str)),
        "event_date": _mostly(
            hst.sampled_from(["14 March 2025", "2025-03-14", "9-May-20", " 1 June 2024 ", "31/12/2019", "1.2.2020"]),
            hst.sampled_from(["", "30 Feb 2020", "March", "2025-13-01", "12/31/2019"]),  # the last refuses the file
        ),
        "time_precision": _mostly(hst.sampled_from(["1", "2", "3", " 3 "])),
        "event_type": _text,
        "sub_event_type": _text,
        "actor1": hst.sampled_from(["LeT", "Lashkar-e-Taiba", "ISKP", " Islamic State Khorasan ", "", "A; B"]),
        "assoc_actor_1": hst.sampled_from(["", "LeT; ISKP", ";", " ; x"]),
        "actor2": _text,
        "country": hst.sampled_from(["Pakistan", "PAK", "", "Russia"]),
        "location": _text,
        "latitude": _lat,
        "longitude": _lon,
        "geo_precision": _mostly(hst.sampled_from(["1", "2", "3"])),
        "source": _text,
        "notes": _mostly(_text, hst.sampled_from(["", " ", "\u2003", "\x1f"])),
        "fatalities": _mostly(hst.sampled_from(["", "0", "3", "12"])),
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hst.lists(hst.tuples(_row, hst.booleans()), min_size=1, max_size=12),
    hst.sampled_from([None, "day first", "month first"]),
    hst.booleans(),
)
def test_any_acled_shaped_table_reads_the_same_by_columns_and_by_rows(rows, order, own_ids):
    rows = _swapped(rows)
    if own_ids:  # ids that do not repeat (repeated ones send the file to the row reader, which merges them)
        rows = [{**row, "event_id_cnty": f"PAK{i}"} for i, row in enumerate(rows)]
    _same_both_ways(acled.LAYOUT, _csv(_HEADER, rows), ReadOptions(order=order))


def test_a_rule_runs_once_per_distinct_combination_and_leaves_failing_rows_in_doubt():
    table = columnar.split("a,b\nx,1\ny,1\nx,1\nx,2\n", ["a", "b"])
    cols = columnar.Columns(table, ["a", "b"])
    calls = []

    def rule(a, b):
        calls.append((a, b))
        if b == "2":
            raise columnar.FieldError("no")
        return a + b

    assert cols.rule(("a", "b"), rule).tolist() == ["x1", "y1", "x1", None]
    assert sorted(calls) == [("x", "1"), ("x", "2"), ("y", "1")]
    assert cols.doubt.tolist() == [False, False, False, True]
    assert [n for n, _ in cols.doubtful_rows()] == [4]
    assert cols.in_order(("b", "a")) == [(1, "1"), (1, "x"), (2, "y"), (4, "2")]
    assert np.isnan(cols.number("a", lo=0, hi=1)).all()


def test_the_quick_test_for_mojibake_on_bytes_finds_exactly_what_the_one_on_text_finds():
    firsts = [chr(c) for c in range(0xC0, 0x100)]
    seconds = [chr(c) for c in range(0x80, 0x2200)]
    pairs = [a + b for a in firsts for b in seconds]
    assert [has_mojibake(p, p.encode()) for p in pairs] == [has_mojibake(p) for p in pairs]
    assert has_mojibake("autorit\u00c3\u00a0", "autorit\u00c3\u00a0".encode()) and not has_mojibake(
        "autorité", "autorité".encode()
    )


def test_python_has_no_whitespace_beyond_the_characters_the_column_reader_knows():
    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == columnar.SPACES


_MAPPED = [
    "date",
    "iyear",
    "imonth",
    "iday",
    "city",
    "perpetrator_group",
    "fatalities",
    "lat",
    "lon",
    "summary",
    "url",
    "geo_precision",
]
_mapped_row = hst.fixed_dictionaries(
    {
        "date": _mostly(hst.sampled_from(["2024-05-01", "1 June 2024", "31/12/2019"]), hst.sampled_from(["", "x", "2024-02-30"])),
        "iyear": _mostly(hst.sampled_from(["2019", "2020"])),
        "imonth": _mostly(hst.sampled_from(["0", "3", "12", ""])),
        "iday": _mostly(hst.sampled_from(["0", "1", "31", ""])),
        "city": hst.sampled_from(["Quetta", "Mastung", "Khuzdar", " Gwadar ", "Nowhere-on-earth", ""]),
        "perpetrator_group": hst.sampled_from(["LeT", "ISKP; LeT", "", " ; x", "Unknown"]),
        "fatalities": _mostly(hst.sampled_from(["", "0", "4", "Unreported", " unknown ", "n/a"])),
        "lat": _mostly(_lat, hst.just("")),
        "lon": _mostly(_lon, hst.just("")),
        "summary": _mostly(_text, hst.sampled_from(["", " "])),
        "url": _mostly(hst.sampled_from(["", "https://example.org/a"]), hst.sampled_from(["javascript:alert(1)", "ftp://x"])),
        "geo_precision": _mostly(hst.sampled_from(["", "exact", "near", " district "]), hst.sampled_from(["street", "1"])),
    }
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hst.lists(hst.tuples(_mapped_row, hst.booleans()), min_size=1, max_size=12),
    hst.sets(hst.sampled_from(_MAPPED), max_size=6),
    hst.sampled_from([None, "day first"]),
)
def test_any_table_in_no_known_layout_reads_the_same_by_columns_and_by_rows(rows, dropped, order):
    """Columns left out at random: the mapping changes with them (parts of a date, no position, no counts, ...)."""
    rows = [{**row, "lat": row["lon"], "lon": row["lat"]} if swap else row for row, swap in rows]
    header = [c for c in _MAPPED if c not in dropped]
    _same_both_ways(None, _csv(header, rows), ReadOptions(order=order))


_UCDP = ["id", "relid", "type_of_violence", "side_a", "side_b", "source_article", "source_office", "where_prec"]
_UCDP += ["where_description", "where_coordinates", "latitude", "longitude", "country", "date_prec", "date_start"]
_UCDP += ["date_end", "best", "low", "high"]


def _rarely(good, odd=_odd):
    """Valid values but one time in twelve (a GED row has a dozen fields that must all be right)."""
    return _mostly(good, odd, one_in=12)


_count = _rarely(hst.sampled_from(["", "0", "4", "12"]))
_ucdp_row = hst.fixed_dictionaries(
    {
        "id": _rarely(hst.integers(1, 99).map(str)),
        "relid": hst.sampled_from(["", "PAK-2020-1-1", " x "]),
        "type_of_violence": _rarely(hst.sampled_from(["1", "2", "3"])),
        "side_a": hst.sampled_from(["Government of Pakistan", "LeT", "", " ISKP "]),
        "side_b": hst.sampled_from(["Civilians", "TTP", ""]),
        "source_article": _rarely(_text, hst.sampled_from(["", " "])),
        "source_office": hst.sampled_from(["", "Dawn", " "]),
        "where_prec": _rarely(hst.sampled_from([str(i) for i in range(1, 8)])),
        "where_description": hst.one_of(hst.sampled_from(["", " ", "Mastung district"]), _text),
        "where_coordinates": hst.sampled_from(["", "Quetta town", " Mastung "]),
        "latitude": _rarely(_lat.filter(bool)),
        "longitude": _rarely(_lon.filter(bool)),
        "country": hst.sampled_from(["Pakistan", "", "Afghanistan"]),
        "date_prec": _rarely(hst.sampled_from(["1", "2", "3", "4", "5"])),
        "date_start": _rarely(hst.sampled_from(["2020-01-01", "2020-01-05 00:00:00.000", "03/27/1990 00:00:00"])),
        "date_end": _rarely(hst.sampled_from(["2020-01-01", "2020-01-09", "2019-12-31"])),
        "best": _count,
        "low": _count,
        "high": _count,
    }
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hst.lists(hst.tuples(_ucdp_row, hst.booleans()), min_size=1, max_size=12), hst.booleans())
def test_any_ucdp_shaped_table_reads_the_same_by_columns_and_by_rows(rows, hxl):
    tags = {c: f"#{c.replace('_', '+')}" for c in _UCDP} if hxl else None  # as HDX distributes GED: hashtags under the header
    _same_both_ways(ucdp.LAYOUT, _csv(_UCDP, _swapped(rows), first=tags))


_PROJECT = ["event_id", "date_start", "date_end", "date_precision", "event_type", "actors", "location", "latitude"]
_PROJECT += ["longitude", "geo_precision", "fatalities", "excerpt", "source_id", "source_title", "source_url"]
_PROJECT += ["excerpt_start", "excerpt_end", "coding_note", "country"]
_project_row = hst.fixed_dictionaries(
    {
        "event_id": _rarely(hst.integers(1, 10**6).map(lambda i: f"ev-{i}")),
        "date_start": _rarely(
            hst.sampled_from(["2025-03", "2025", "2025-03-14", " 2024-12-01 "]), hst.sampled_from(["", "2025-13", "x"])
        ),
        "date_end": _rarely(hst.sampled_from(["", "2025-06", "2025-03-20"]), hst.sampled_from(["2024-01-01", "y"])),
        "date_precision": _rarely(hst.sampled_from(["", "", "month", "Year"]), hst.sampled_from(["decade"])),
        "event_type": _text,
        "actors": hst.sampled_from(["", "LeT; ISKP", "Lashkar-e-Taiba", " ; "]),
        "location": _text,
        "latitude": _rarely(_lat.filter(bool)),
        "longitude": _rarely(_lon.filter(bool)),
        "geo_precision": _rarely(hst.sampled_from(["exact", "district", " Province "]), hst.sampled_from(["street", ""])),
        "fatalities": _rarely(hst.sampled_from(["", "0", "7"])),
        "excerpt": _rarely(_text.filter(lambda t: t.strip()), hst.sampled_from(["", " "])),
        "source_id": _rarely(hst.sampled_from(["", "dawn-2025", " notes "]), hst.just("000_adc269e28bd41553")),
        "source_title": hst.sampled_from(["", "Dawn, 3 March 2025"]),
        "source_url": _rarely(hst.sampled_from(["", "https://example.org/x"]), hst.just("javascript:alert(1)")),
        "excerpt_start": _rarely(hst.just(""), hst.sampled_from(["0", "12"])),
        "excerpt_end": _rarely(hst.just(""), hst.sampled_from(["40"])),
        "coding_note": hst.sampled_from(["", " read from the second paragraph ", "   "]),
        "country": hst.sampled_from(["", "Pakistan", "PAK"]),
    }
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hst.lists(hst.tuples(_project_row, hst.booleans()), min_size=1, max_size=12))
def test_any_project_csv_reads_the_same_by_columns_and_by_rows(rows):
    _same_both_ways(project_csv.LAYOUT, _csv(_PROJECT, _swapped(rows)))


def test_counts_become_nullable_integers_exactly_whatever_they_arrive_as_and_a_fraction_is_refused():
    import geopandas as gpd

    from incidents.model.schema import conform, empty_events

    base = empty_events()
    for cells in ([1.0, np.nan, 3.0], [1, 2, 3], [None, 2, None], [None, None, None], np.array([1, 2, 3], dtype=np.int32)):
        frame = gpd.GeoDataFrame({"fatalities": cells}, geometry=gpd.points_from_xy([66.0] * 3, [30.0] * 3), crs=base.crs)
        out = conform(frame)["fatalities"]
        assert out.dtype == "Int64"
        assert [None if pd.isna(v) else int(v) for v in out] == [
            None if pd.isna(v) else int(v) for v in pd.Series(cells, dtype=object)
        ]
        assert out.isna().sum() == int(pd.isna(pd.Series(cells, dtype=object)).sum())
    fraction = gpd.GeoDataFrame({"fatalities": [1.5]}, geometry=gpd.points_from_xy([66.0], [30.0]), crs=base.crs)
    with pytest.raises(TypeError):
        conform(fraction)


def test_a_utf8_file_is_split_from_the_bytes_it_was_read_from_without_its_byte_order_mark():
    from incidents.readers._rows import utf8_of

    text, repaired = decode_text("\ufeffa,b\nQuetta,Mastung\n".encode(), "f.csv")
    assert (text, repaired) == ("a,b\nQuetta,Mastung\n", [])
    assert utf8_of(text) == b"a,b\nQuetta,Mastung\n" and utf8_of(text) == text.encode()  # once kept, then encoded
    other = "a,b\nx,y\n"
    assert utf8_of(other) == other.encode()
    table = columnar.split(text, ["a", "b"], utf8_of(text))
    assert table is not None and table.column(0).to_pylist() == ["Quetta"]
