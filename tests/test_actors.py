"""The alias table: spellings meet under one canonical name."""

from __future__ import annotations

import pytest

from incidents import IncidentDataError
from incidents.model.actors import UNCLASSIFIED, actor_table, read_actor_table


@pytest.mark.parametrize(
    ("alias", "canonical", "group_type"),
    [
        ("LeT", "Lashkar-e-Taiba", "militant"),
        ("Lashkar-e-Taiba", "Lashkar-e-Taiba", "militant"),
        ("lashkar-e-toiba", "Lashkar-e-Taiba", "militant"),
        ("  ISKP ", "Islamic State Khorasan Province", "militant"),
        ("IS", "Islamic State", "militant"),
        ("ISI", "Inter-Services Intelligence", "state"),
        ("Taleban", "Taliban", "militant"),
        ("BLA", "Balochistan Liberation Army", "separatist"),
        ("Baloch fighters", "Baloch separatists (unnamed)", "separatist"),
        ("A group nobody listed", "A group nobody listed", UNCLASSIFIED),
    ],
)
def test_aliases(alias, canonical, group_type):
    table = actor_table()
    assert table.canonical(alias) == canonical
    assert table.group_type(table.canonical(alias)) == group_type


def test_every_ucdp_side_in_the_sample_is_classified(events):
    table = actor_table()
    ucdp = events[events["dataset"] == "ucdp-ged"]
    unknown = {a for t in ucdp["actors"] for a in t if table.group_type(a) == UNCLASSIFIED}
    assert unknown == set()


def test_conflicting_table_lists_every_problem(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text(
        "alias,canonical,group_type\nLeT,Lashkar-e-Taiba,militant\nlet,Someone else,militant\n,x,y\nX,Lashkar-e-Taiba,state\n",
        encoding="utf-8",
    )
    with pytest.raises(IncidentDataError) as info:
        read_actor_table(path)
    fields = [(p.row, p.field) for p in info.value.problems]
    assert fields == [(2, "alias"), (3, None), (4, "group_type")]
