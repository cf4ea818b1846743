"""The README's table of farms says what each connector declares: a capability changed in
code without the table (or the other way round) fails here, naming the farm and the column."""

import os

from farmhand.cli.farms import farm_records, mark
from farmhand.core.connectors import FEATURES

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def readme_rows():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        section = handle.read().split("\n## Farms\n", 1)[1].split("\n## ", 1)[0]
    lines = section.splitlines()
    table = [line for line in lines if line.startswith("| `")]
    rows = {}
    for line in table:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = cells[2:2 + len(FEATURES)]
    return rows


def test_the_readme_lists_every_farm_with_its_declared_capabilities():
    rows = readme_rows()
    records = farm_records()
    assert sorted(rows) == sorted(r["name"] for r in records)
    for record in records:
        if not record["available"]:
            continue
        for feature, cell in zip(FEATURES, rows[record["name"]]):
            expected = mark(record, feature.key)
            assert cell == expected, "README.md, farm {}, column {}: {!r}, declared {!r}".format(
                record["name"], feature.label, cell, expected
            )
