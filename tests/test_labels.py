"""Display labels: party, country and topic ids turned into the words the dashboard shows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import labels, schema

GAZETTEER = """id,name,abbreviation,native_name,country,aliases,parent,partyfacts_id,kind,context
kke,Communist Party of Greece,KKE,,GRC,,,,party,
cpc-canada,Communist Party of Canada,CPC,,CAN,,,,party,
cpc-china,Communist Party of China,CPC,,CHN,,,,party,
noabbr,Communists of Somewhere,,,RUS,,,,party,
"""

TAXONOMY = """
[[topic]]
id = "elections"
label = "Elections and votes"
description = "x"
patterns = ["election"]
"""


@pytest.fixture(autouse=True)
def reference_dir(tmp_path, monkeypatch):
    """A small gazetteer and taxonomy of our own, so the expected labels are known here."""
    (tmp_path / "parties.csv").write_text(GAZETTEER, encoding="utf-8")
    (tmp_path / "topics.toml").write_text(TAXONOMY, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(
    ("party_id", "short", "label", "long", "distinct"),
    [
        ("kke", "KKE", "KKE (Greece)", "Communist Party of Greece (KKE) - Greece", "KKE"),
        (
            "cpc-canada",
            "CPC",
            "CPC (Canada)",
            "Communist Party of Canada (CPC) - Canada",
            "CPC (Canada)",
        ),
        (
            "cpc-china",
            "CPC",
            "CPC (China)",
            "Communist Party of China (CPC) - China",
            "CPC (China)",
        ),
        (
            "noabbr",
            "Communists of Somewhere",
            "Communists of Somewhere (Russian Federation)",
            "Communists of Somewhere - Russian Federation",
            "Communists of Somewhere",
        ),
        ("not-in-gazetteer", "not-in-gazetteer", "not-in-gazetteer", "not-in-gazetteer", None),
    ],
)
def test_party_labels(party_id, short, label, long, distinct):
    assert labels.party_short(party_id) == short
    assert labels.party_label(party_id) == label
    assert labels.party_long_label(party_id) == long
    if distinct is not None:
        assert labels.party_distinct_short(party_id) == distinct


def test_a_gazetteer_the_loader_rejects_leaves_ids_and_a_fixed_one_is_read_again(
    reference_dir,
):
    # A party without a country is refused by the gazetteer (which reports it); labels show ids.
    good = (reference_dir / "parties.csv").read_text(encoding="utf-8")
    (reference_dir / "parties.csv").write_text(good + "floating,Floating Party,FP,,,,,,party,\n")
    assert labels.party_label("kke") == "kke"
    (reference_dir / "parties.csv").write_text(good + "floating,Floating Party,FP,,CAN,,,,,\n")
    assert labels.party_label("floating") == "FP (Canada)"


@pytest.mark.parametrize(
    ("iso3", "expected"),
    [
        ("GRC", "Greece"),
        ("grc", "Greece"),
        ("PRK", "North Korea"),  # pycountry's common name, not "Korea, Democratic People's..."
        ("XXX", "XXX"),  # unknown codes stay visible as they are
        ("", ""),
    ],
)
def test_country_name(iso3, expected):
    assert labels.country_name(iso3) == expected


@pytest.mark.parametrize(
    ("topic_id", "expected"),
    [
        ("elections", "Elections and votes"),  # from the taxonomy file
        ("war_imperialism", "War imperialism"),  # not in it: a readable form of the id
        ("party-life", "Party life"),
    ],
)
def test_topic_label(topic_id, expected):
    assert labels.topic_label(topic_id) == expected


def test_label_ids_keeps_index_and_missing_values():
    values = pd.Series(["kke", None, "cpc-china", "kke"], index=[10, 11, 12, 13], dtype="category")
    out = labels.label_ids(values, "party")
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.dtype == "str"
    assert out.iloc[[0, 2, 3]].tolist() == ["KKE (Greece)", "CPC (China)", "KKE (Greece)"]
    assert pd.isna(out.iloc[1])


@pytest.mark.parametrize(
    ("values", "kind", "expected"),
    [
        (pd.Index(["GRC", "CAN"], name="iso3"), "country", ["Greece", "Canada"]),
        (pd.Index(["elections", "x_y"]), "topic", ["Elections and votes", "X y"]),
        (pd.Series(["cpc-canada"]), "party", ["CPC (Canada)"]),
        (["de", "xx", ""], "language", ["German", "xx", "Unknown"]),
        (np.array(["party_countries", "n", "made_up"]), "column",
         ["Party home countries", "Statements", "Made up"]),
        (["Southern Europe", "Asia"], None, ["Southern Europe", "Asia"]),
    ],
)  # fmt: skip
def test_label_ids_kinds(values, kind, expected):
    assert labels.label_ids(values, kind).tolist() == expected


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("kke", "party", "KKE (Greece)"),
        ("kke", "party_short", "KKE"),
        ("cpc-canada", "party_short", "CPC (Canada)"),  # two parties are "CPC"
        ("cpc-canada", "party_abbreviation", "CPC"),
        ("kke", "party_picker", "KKE — Communist Party of Greece (Greece)"),
        ("union", "organisation", "Trade unions"),
        ("unknown-party", "party", "unknown-party"),
        ("GRC", "country", "Greece"),
        ("elections", "topic", "Elections and votes"),
        ("de", "language", "German"),
        ("date_precision", "column", "Date precision"),
        ("Europe", None, "Europe"),
    ],
)
def test_label_ids_one_id(value, kind, expected):
    assert labels.label_ids(value, kind) == expected


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ("", ["KKE (Greece)", "All statements", "Others", "None named", "(blank)"]),
        ("party", ["KKE (Greece)", "All statements", "Other parties", "No party named", "(blank)"]),
    ],
)  # fmt: skip
def test_label_ids_words_the_special_groups_of_a_breakdown(groups, expected):
    values = ["kke", "all", "(others)", "(none)", ""]
    assert labels.label_ids(values, "party", groups=groups).tolist() == expected
    # Without ``groups`` they are ids like any other.
    assert labels.label_ids(values, "party").tolist()[1:3] == ["all", "(others)"]


def test_label_ids_rejects_unknown_kind():
    with pytest.raises(ValueError, match="kind"):
        labels.label_ids(pd.Series(["x"]), "colour")


@pytest.mark.parametrize("column", ["date", "parties", "countries", "topics", "n", "share"])
def test_column_labels_cover_frame_and_aggregate_columns(column):
    label = labels.label_ids(column, "column")
    assert label != column and label[0].isupper()


def test_column_kinds_name_the_list_columns_of_ids():
    assert set(labels.COLUMN_KINDS) == set(schema.LIST_COLUMNS) - {schema.UNRESOLVED}
