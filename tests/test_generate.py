"""``dashboard generate``: synthetic raw statements of real length, marked as synthetic."""

from __future__ import annotations

import pandas as pd

from dashboard.cli import main
from dashboard.enrich import enrich
from dashboard.generate import SOURCE, generate_statements
from dashboard.load import load_statements


def test_generated_statements_have_real_length_and_are_marked_synthetic():
    df = generate_statements(2_000, seed=1)
    assert len(df) == 2_000 and df["id"].is_unique
    assert (df["source"] == SOURCE).all()
    length = df["title"].str.len() + df["text"].str.len()
    # Headline plus teaser: about 230 characters on average, never a bare headline.
    assert 200 <= length.mean() <= 320
    assert length.min() >= 50
    precision = df["date"].str.len().map({10: "day", 7: "month", 4: "year", 0: "none"})
    shares = precision.value_counts(normalize=True)
    assert shares["day"] > 0.7 and shares["month"] > 0.05 and shares["none"] > 0.01


def test_the_same_seed_gives_the_same_statements():
    pd.testing.assert_frame_equal(generate_statements(300, seed=4), generate_statements(300, 4))
    assert not generate_statements(300, seed=5).equals(generate_statements(300, seed=4))


def test_enrichment_finds_parties_in_the_party_statements(tmp_path):
    path = tmp_path / "raw.csv"
    assert main(["generate", "--n", "1500", "--seed", "2", "-o", str(path)]) == 0
    enriched = enrich(load_statements(path))
    named = enriched["parties"].map(len) > 0
    # About a fifth are general news naming no party; most of the rest name one.
    assert 0.55 < named.mean() < 0.95


def test_generate_refuses_an_unknown_output_format(tmp_path, capsys):
    assert main(["generate", "--n", "10", "-o", str(tmp_path / "out.xlsx")]) == 2
    assert "cannot write" in capsys.readouterr().err
