"""/vergelijk's summary adds up to its tables: shared by all + shared by some + only each = the
rows of each category's table, for two and for three programmes."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("chosen", [["prog:alfa", "prog:gamma"], ["prog:alfa", "prog:gamma", "prog:een-tegen-eenzaamheid"]])
def test_summary_counts_add_up_to_the_tables(client, chosen):
    html = client.get("/vergelijk", query_string=[("programma", p) for p in chosen]).get_data(as_text=True)
    assert "Gedeeld door enkele" in html and "Totaal" in html
    summary = html.split('<table class="net-overlap-summary">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><th scope="row"><a href="#cat-(\w+)">.*?</th>(.*?)</tr>', summary, re.S)
    assert len(rows) == 5
    some_total = 0
    for name, cells in rows:
        numbers = [int(n) for n in re.findall(r"<td>(\d+)</td>", cells)]
        assert len(numbers) == 2 + len(chosen) + 1
        *parts, total = numbers
        assert sum(parts) == total, name
        section = html.split(f'<h2 id="cat-{name}">', 1)[1].split("<h2", 1)[0]
        assert section.count('<th scope="row">') == total, name
        some_total += parts[1]
    if len(chosen) == 2:
        assert some_total == 0  # with two programmes, 'some' is empty by definition
