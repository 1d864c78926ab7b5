# ruff: noqa: E501 - the seed statements are kept verbatim, one per line.
"""The 24 real seed statements (/work/shared/seed/statements.txt), enriched and checked by hand.

The texts are copied into this file exactly as published (typos, curly quotes and the
non-breaking space in line 2 included), so the test depends only on the bundled reference files
(data/parties.csv, data/country_aliases.csv, data/topics.toml), which it is about.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.enrich import enrich

# (line, text, parties, party_countries, countries outside party names)
SEED = [
    # 1: IMCWP is a meeting, not a party; Pyongyang and DPRK
    (
        1,
        "The 21st IMCWP has been completed after four days. The next meeting is going to be held in Pyongyang, the capital of the DPRK.",
        [],
        [],
        ["PRK"],
    ),
    # 2: Greece/Turkey inside party names; IMCWP no party; İzmir
    (
        2,
        "Co-hosted by the Communist Party of Greece (KKE) and the Communist Party of Turkey\xa0(TKP), the 21st International Meeting of the Communist and Workers' Parties (IMCWP) has started today in İzmir, following the working group meeting yesterday.",
        ["kke", "tkp"],
        ["GRC", "TUR"],
        ["TUR"],
    ),
    (
        3,
        "The appeal of the 21st International Meeting of Communist and Workers' Parties",
        [],
        [],
        [],
    ),
    # 4: generic 'Communists'; 'European' names no country
    (
        4,
        "Communists condemn the outrageous anti-communist resolution of the European Parliament.",
        [],
        [],
        [],
    ),
    # 5: CPC is ambiguous, the full name decides
    (
        5,
        "The Communist Party of Canada (CPC) received around 1,500 more votes in the 2015 elections than the last one.",
        ["cpc-canada"],
        ["CAN"],
        [],
    ),
    # 6: India sits inside the party name
    (
        6,
        "Communist Party of India, expresses concern about the recent attacks and draws attention to the responsibility of the government.",
        ["cpi-india"],
        ["IND"],
        [],
    ),
    (
        7,
        "KKE has issued a statement following the solidarity mission of Communist parties that was carried out on the 10-13 of October.",
        ["kke"],
        ["GRC"],
        [],
    ),
    # 8: Mariupol is in Ukraine
    (
        8,
        "Mariupol city committee\xa0of the CPU declared they strongly protest this act of terror,\xa0aiming\xa0to disrupt the coming elections,\xa0against the\xa0First Secretary of the Primorsky Regional Committee,\xa0Alexei Krivun\xa0 and his family",
        ["cpu-ukraine"],
        ["UKR"],
        ["UKR"],
    ),
    # 9: generic 'Communist Parties'
    (
        9,
        "Communist Parties all over the world expose\xa0the imperialist interests behind the Trans-Pacific Partnership (TPP) and the Transatlantic Trade and Investment Partnership (TTIP)",
        [],
        [],
        [],
    ),
    # 10: PCP is ambiguous: Edgar Silva is a PCP (Portugal) cue
    (
        10,
        "PCP candidate Edgar Silva\xa0presented his ten main political lines including defending the rights and freedoms of the workers and national independence",
        ["pcp-portugal"],
        ["PRT"],
        [],
    ),
    # 11: 'Japanese' inside the party name; 'US-Japan'
    (
        11,
        "The Japanese Communist Party (JCP) stated that they could step back about the US-Japan Security Treaty, on the condition of a national coalition government.",
        ["jcp"],
        ["JPN"],
        ["JPN", "USA"],
    ),
    # 12: curly apostrophe, lower-case 'workers'
    (
        12,
        "Parliamentary Member\xa0Christos Katsotis attented\xa0All-workers’ Militant Front (PAME)'s action protesting the new Memorandum\xa0bill and\xa0defending social security rights",
        ["pame"],
        ["GRC"],
        [],
    ),
    # 13: Turkey is part of the name; AKP is not in the gazetteer
    (
        13,
        "Communist Youth, Turkey declares the necessity of a political line which rejects\xa0any “fake hopes” under the disguise of “anti-AKP front”",
        ["kg-turkey"],
        ["TUR"],
        [],
    ),
    # 14: CPI(M), not CPI
    (
        14,
        "General Secretary of the CPI(M) describes\xa0the ‘Initiative of Belt and Road'\xa0as beneficial for both India and China",
        ["cpim-india"],
        ["IND"],
        ["CHN", "IND"],
    ),
    (
        15,
        "Communist Party of Argentina (PCA) declares support for the the central-left block\xa0Victory Front \xa0(Frente para Victoria- FpV)\xa0on forthcoming elections on 25th\xa0October",
        ["pca-argentina"],
        ["ARG"],
        [],
    ),
    # 16: 'co-sponsoring US' is the United States
    (
        16,
        "CPSL\xa0criticizes the government’s position of co-sponsoring US on the recent resolution of the United Nations Human Rights Commission (UNHRC) about the human rights issue in Sri Lanka",
        ["cpsl"],
        ["LKA"],
        ["LKA", "USA"],
    ),
    # 17: 'South African' sits inside the party name
    (
        17,
        "South African Communist Party (SACP) launch the Red October Campaign for 2015/2016\xa0to transform the financial sector to serve people and free the media",
        ["sacp"],
        ["ZAF"],
        [],
    ),
    # 18: no space before '(PCPE)'; 'National Day of Spain'
    (
        18,
        "CC of the Communist Party of the People's of Spain(PCPE) has released a statement for the 12th of October saying they have\xa0nothing to celebrate on\xa0the 'National Day of Spain'",
        ["pcpe"],
        ["ESP"],
        ["ESP"],
    ),
    (
        19,
        "GS Andros Kyprianou said AKEL insists on the\xa0bi-zonal, bi-communal federal solution for the Cyprus problem",
        ["akel"],
        ["CYP"],
        ["CYP"],
    ),
    # 20: Greece inside the youth's name; Koutsoumpas links nothing
    (
        20,
        "GS\xa0Koutsoumpas addressed the youth at 41st Festival of the Communist Youth of Greece\xa0calling for a struggle\xa0for the construction of a new socialist society",
        ["kne"],
        ["GRC"],
        [],
    ),
    # 21: Ankara is TUR
    (
        21,
        "The Communist Party, Turkey (KP) participated in the two day boycott protesting\xa0the Ankara massacre",
        ["kp-turkey"],
        ["TUR"],
        ["TUR"],
    ),
    # 22: CPA is ambiguous, the full name decides
    (
        22,
        'Anna Pha from Communist Party of Australia (CPA)\xa0describes Trans Pacific Partnership as a "corporate dictatorship"',
        ["cpa-australia"],
        ["AUS"],
        [],
    ),
    (
        23,
        "The CPI(M) released a statement opposing to the Malabar Exercise",
        ["cpim-india"],
        ["IND"],
        [],
    ),
    # 24: '(USA)' is part of the name; U.S. and Kunduz
    (
        24,
        "The Party for Socialism and Liberation (USA) says the recent U.S. bombing of the Doctors Without Borders hospital in Kunduz is a war crime.",
        ["psl-usa"],
        ["USA"],
        ["AFG", "USA"],
    ),
]


@pytest.fixture(scope="module")
def enriched() -> pd.DataFrame:
    df = pd.DataFrame({"title": "", "text": [text for _, text, *_ in SEED]})
    return enrich(df)


@pytest.mark.parametrize(("line", "text", "parties", "party_countries", "countries"), SEED)
def test_seed_line(enriched, line, text, parties, party_countries, countries):
    row = enriched.iloc[line - 1]
    assert row["text"] == text
    assert row["parties"] == parties
    assert row["party_countries"] == party_countries
    assert row["countries"] == countries
    # every short name in the seed is resolved (by full name or a context cue)
    assert row["unresolved"] == []


def test_seed_topics_are_never_empty_and_other_stands_alone(enriched):
    for line, topics in enumerate(enriched["topics"], start=1):
        assert topics, f"line {line} has no topic"
        assert "other" not in topics or topics == ["other"], f"line {line}: {topics}"


def test_seed_region_is_that_of_the_first_party(enriched):
    assert enriched["region"].iloc[1] == "Southern Europe"  # KKE before TKP
    assert enriched["continent"].iloc[1] == "Europe"
    assert enriched["region"].iloc[0] == ""  # no party
    assert enriched["continent"].iloc[23] == "North America"  # PSL (USA)


def test_seed_as_titles_gives_the_same_parties(enriched):
    # A headline-only dataset: the same statements in the title column.
    df = pd.DataFrame({"title": [text for _, text, *_ in SEED], "text": ""})
    again = enrich(df)
    assert again["parties"].tolist() == enriched["parties"].tolist()
    assert again["countries"].tolist() == enriched["countries"].tolist()
