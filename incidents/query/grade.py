"""The grade facet: events whose source is at least so reliable and which are at least so credible (``grade=B2``).

``B2`` keeps events whose source's reliability is A or B and whose credibility is 1 or 2, as
analysts read a grade threshold. A grade that is not one (``G7``, ``2B``) is left out of the
filter and noted, as other facets note values they cannot use.
"""

from __future__ import annotations

import numpy as np

from incidents.model.grades import CREDIBILITY, RELIABILITY, UNGRADED, parse_grade
from incidents.model.validate import FieldError
from incidents.query.facets import Facet, Params, Query, Widget, WidgetState, last_value
from incidents.query.index import EventIndex

#: A grade threshold: the worst reliability and the worst credibility kept.
Grade = tuple[str, int]


class GradeFacet(Facet[Grade]):
    """At least this reliable a source and this credible an event (``grade=B2``)."""

    name = "grade"
    keys = ("grade",)
    widget_key = "grade"

    def normalize(self, value: object) -> Grade | None:
        if value is None or str(value).strip() == "":
            return None
        grade = value if isinstance(value, tuple) else parse_grade(value)
        return None if grade == UNGRADED else (str(grade[0]), int(grade[1]))  # F6 keeps everything: no limit

    def read(self, params: Params, index: EventIndex | None) -> tuple[Grade | None, list[str]]:
        text = last_value(params, "grade")
        try:
            return self.normalize(text), []
        except FieldError as exc:
            return None, [f"grade={text!r} is not used: {exc}"]

    def write(self, value: Grade) -> Query:
        return {"grade": f"{value[0]}{value[1]}"}

    def widget(self, index: EventIndex) -> Widget:
        return Widget(
            "text",
            self.widget_key,
            "Grade at least (e.g. B2)",
            placeholder="any grade",
            caption="Reliability A (completely reliable) to F (cannot be judged), then credibility 1 (confirmed) "
            "to 6 (cannot be judged); ungraded events are F6.",
        )

    def to_widget(self, value: Grade | None, widget: Widget) -> str:
        return f"{value[0]}{value[1]}" if value else ""

    def from_widget(self, state: WidgetState, widget: Widget) -> Grade | None:
        try:
            return self.normalize(state)
        except FieldError:
            return None

    def mask(self, index: EventIndex, value: Grade) -> np.ndarray:
        worst = list(RELIABILITY).index(value[0])
        return (index.reliability <= worst) & (index.credibility <= value[1])

    def describe(self, value: Grade) -> str:
        rel, cred = value
        return f"graded {rel}{cred} or better ({RELIABILITY[rel]} or better; {CREDIBILITY[cred]} or better)"
