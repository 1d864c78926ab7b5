"""Name variants of each country's communist party, generated from ``data/party_templates.csv``. A
party whose gazetteer name or alias is "Communist Party of X" or "X Communist Party", with X
naming its own home country (``Communist Party of Cuba``, ``Iraqi Communist Party``), is that
country's communist party: the forms news and party press use for it follow a few patterns ("CP
of Cuba", "Cuban CP", "CP (Cuba)", "Partido Comunista de Cuba", "Parti communiste cubain",
"Kommunistischen Partei Kubas", "Küba Komünist Partisi", "الحزب الشيوعي العراقي"). Rather than
typing them per party and language, the templates are filled with the country's names and
demonyms in the template's language (``CountryMatcher.local_names``: pycountry, its translations
and the curated alias and form files). A country with two such parties (Britain's CPB and the
historic CPGB) gets no generated forms, and a form that is already a name of another
organisation in the gazetteer is left to the gazetteer: the templates add names, they never take
one away.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.countries import CountryMatcher
from dashboard.errors import DatasetError
from dashboard.gazetteer import Gazetteer
from dashboard.reference import read_rows, reference_reader

TEMPLATES_FILE = "party_templates.csv"
_SLOTS = {"{country}": "name", "{demonym}": "demonym"}
_BASE_FORMS = (
    re.compile(r"^(?:the )?communist party of (?:the )?(.+)$", re.IGNORECASE),
    re.compile(r"^(?:the )?(.+?) communist party$", re.IGNORECASE),
    re.compile(r"^(?:the )?party of (?:the )?communists of (?:the )?(.+)$", re.IGNORECASE),
)


@reference_reader(TEMPLATES_FILE)
def load_templates(path: Path) -> pd.DataFrame:
    """``language, template`` rows; each template holds exactly one ``{country}`` or
    ``{demonym}`` slot. Errors name the file and line."""
    rows = []
    for line, row in read_rows(path, ("language", "template"), "party template file"):
        template = " ".join(row["template"].split())
        if sum(template.count(slot) for slot in _SLOTS) != 1:
            raise DatasetError(
                f"the template '{template}' needs exactly one {{country}} or {{demonym}}",
                where=f"{path}, line {line}",
                hint="Write e.g. 'Partido Comunista de {country}'",
            )
        rows.append((row["language"].strip(), template))
    return pd.DataFrame(rows, columns=["language", "template"])


def main_parties(gazetteer: Gazetteer, matcher: CountryMatcher) -> dict[str, str]:
    """ISO-3 -> id of the one party named "Communist Party of <its country>" there."""
    found: dict[str, set[str]] = {}
    for pattern, pid in zip(gazetteer.patterns["pattern"], gazetteer.patterns["id"], strict=True):
        if gazetteer.kind_of.get(pid) != "party":
            continue
        for base in _BASE_FORMS:
            match = base.match(pattern)
            if match and matcher.lookup(match.group(1)) == gazetteer.country_of[pid]:
                found.setdefault(gazetteer.country_of[pid], set()).add(pid)
    return {iso3: next(iter(ids)) for iso3, ids in found.items() if len(ids) == 1}


def template_patterns(
    gazetteer: Gazetteer, matcher: CountryMatcher, templates: pd.DataFrame | None = None
) -> pd.DataFrame:
    """``pattern, id`` of every generated form (one table join, no per-party loop)."""
    templates = templates if templates is not None else load_templates()
    main = main_parties(gazetteer, matcher)
    names = matcher.local_names[matcher.local_names["iso3"].isin(list(main))]
    templates = templates.assign(
        kind=[next(k for s, k in _SLOTS.items() if s in t) for t in templates["template"]]
    )
    joined = templates.merge(names, on=["language", "kind"])
    slot = joined["kind"].map({k: s for s, k in _SLOTS.items()})
    patterns = [
        t.replace(s, n) for t, s, n in zip(joined["template"], slot, joined["name"], strict=True)
    ]
    out = pd.DataFrame(
        {
            # str dtypes even when nothing is generated (a gazetteer without a "Communist
            # Party of X" row): an empty list would make a float column without ``.str``.
            "pattern": pd.Series(patterns, dtype="str"),
            "id": pd.Series(joined["iso3"].map(main).to_numpy(), dtype="str"),
        }
    )
    out = out.drop_duplicates("pattern")
    taken = set(gazetteer.patterns["pattern"].str.casefold())
    return out[~out["pattern"].str.casefold().isin(taken)].reset_index(drop=True)
