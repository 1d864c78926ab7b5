"""Topic taxonomy: the bundled file tags the real seed statements as an analyst would, matching
is whole-word and case-insensitive, and every broken taxonomy file gets a DatasetError that names
the file and the topic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.errors import DatasetError
from dashboard.topics import (
    OTHER,
    Taxonomy,
    explain_matches,
    load_taxonomy,
    tag_topics,
    topic_labels,
)


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def tag_one(text: str, taxonomy: Taxonomy) -> list[str]:
    return tag_topics(pd.Series([text]), taxonomy).iloc[0]


# The 24 seed statements (/work/shared/seed/statements.txt, non-blank lines, exactly as
# published: non-breaking spaces and curly quotes included) with the topics a careful analyst
# gives them.
SEED = [
    # 1: the IMCWP itself
    pytest.param(
        "The 21st IMCWP has been completed after four days. The next meeting "
        "is going to be held in Pyongyang, the capital of the DPRK.",
        {"international"},
        id="line01",
    ),
    pytest.param(
        "Co-hosted by the Communist Party of Greece (KKE) and the Communist "
        "Party of Turkey\xa0(TKP), the 21st International Meeting of the "
        "Communist and Workers' Parties (IMCWP) has started today in İzmir, "
        "following the working group meeting yesterday.",
        {"international"},
        id="line02",
    ),
    pytest.param(
        "The appeal of the 21st International Meeting of Communist and Workers' Parties",
        {"international"},
        id="line03",
    ),
    # 4: EP resolution equating communism with nazism
    pytest.param(
        "Communists condemn the outrageous anti-communist resolution of the European Parliament.",
        {"anticommunism"},
        id="line04",
    ),
    pytest.param(
        "The Communist Party of Canada (CPC) received around 1,500 more votes "
        "in the 2015 elections than the last one.",
        {"elections"},
        id="line05",
    ),
    pytest.param(
        "Communist Party of India, expresses concern about the recent attacks "
        "and draws attention to the responsibility of the government.",
        {"terror_violence"},
        id="line06",
    ),
    pytest.param(
        "KKE has issued a statement following the solidarity mission of "
        "Communist parties that was carried out on the 10-13 of October.",
        {"international"},
        id="line07",
    ),
    # 8: 'act of terror' against a CPU official; elections named
    pytest.param(
        "Mariupol city committee\xa0of the CPU declared they strongly protest "
        "this act of terror,\xa0aiming\xa0to disrupt the coming elections,\xa0against "
        "the\xa0First Secretary of the Primorsky Regional Committee,\xa0Alexei "
        "Krivun\xa0 and his family\xa0",
        {"elections", "terror_violence"},
        id="line08",
    ),
    # 9: imperialist interests + TPP/TTIP + 'all over the world' (a joint statement)
    pytest.param(
        "Communist Parties all over the world expose\xa0the imperialist interests "
        "behind the Trans-Pacific Partnership (TPP) and the Transatlantic "
        "Trade and Investment Partnership (TTIP)",
        {"war_imperialism", "economy", "international"},
        id="line09",
    ),
    # 10: presidential candidate; workers' rights; national independence
    pytest.param(
        "PCP candidate Edgar Silva\xa0presented his ten main political lines "
        "including defending the rights and freedoms of the workers and "
        "national independence",
        {"elections", "labour", "sovereignty"},
        id="line10",
    ),
    # 11: US-Japan Security Treaty is a military alliance
    pytest.param(
        "The Japanese Communist Party (JCP) stated that they could step back "
        "about the US-Japan Security Treaty, on the condition of a national "
        "coalition government.",
        {"war_imperialism"},
        id="line11",
    ),
    # 12: PAME action: social security + the austerity Memorandum bill
    pytest.param(
        "Parliamentary Member\xa0Christos Katsotis attented\xa0All-workers’ Militant "
        "Front (PAME)'s action protesting the new Memorandum\xa0bill "
        "and\xa0defending social security rights",
        {"labour", "economy"},
        id="line12",
    ),
    # 13: a youth group's 'political line': no topic fits; the org name is ignored
    pytest.param(
        "Communist Youth, Turkey declares the necessity of a political line "
        "which rejects\xa0any “fake hopes” under the disguise of “anti-AKP front”",
        {"other"},
        id="line13",
    ),
    pytest.param(
        "General Secretary of the CPI(M) describes\xa0the ‘Initiative of Belt and "
        "Road'\xa0as beneficial for both India and China",
        {"economy"},
        id="line14",
    ),
    pytest.param(
        "Communist Party of Argentina (PCA) declares support for the the "
        "central-left block\xa0Victory Front \xa0(Frente para Victoria- FpV)\xa0on "
        "forthcoming elections on 25th\xa0October\xa0",
        {"elections"},
        id="line15",
    ),
    pytest.param(
        "CPSL\xa0criticizes the government’s position of co-sponsoring US on the "
        "recent resolution of the United Nations Human Rights Commission "
        "(UNHRC) about the human rights issue in Sri Lanka",
        {"human_rights"},
        id="line16",
    ),
    # 17: financial sector + media
    pytest.param(
        "South African Communist Party (SACP) launch the Red October Campaign "
        "for 2015/2016\xa0to transform the financial sector to serve people and "
        "free the media \xa0",
        {"economy", "media"},
        id="line17",
    ),
    # 18: National Day of Spain
    pytest.param(
        "CC of the Communist Party of the People's of Spain(PCPE) has released "
        "a statement for the 12th of October saying they have\xa0nothing to "
        "celebrate on\xa0the 'National Day of Spain'",
        {"sovereignty"},
        id="line18",
    ),
    pytest.param(
        "\xa0GS Andros Kyprianou said AKEL insists on the\xa0bi-zonal, bi-communal "
        "federal solution for the Cyprus problem",
        {"sovereignty"},
        id="line19",
    ),
    # 20: youth festival + socialist society
    pytest.param(
        "GS\xa0Koutsoumpas addressed the youth at 41st Festival of the Communist "
        "Youth of Greece\xa0calling for a struggle\xa0for the construction of a new "
        "socialist society\xa0",
        {"youth", "party_life"},
        id="line20",
    ),
    # 21: Ankara massacre (the boycott alone is not tagged)
    pytest.param(
        "The Communist Party, Turkey (KP) participated in the two day boycott "
        "protesting\xa0the Ankara massacre",
        {"terror_violence"},
        id="line21",
    ),
    pytest.param(
        "Anna Pha from Communist Party of Australia (CPA)\xa0describes Trans "
        'Pacific Partnership as a "corporate dictatorship"',
        {"economy"},
        id="line22",
    ),
    pytest.param(
        "The CPI(M) released a statement opposing to the Malabar Exercise",
        {"war_imperialism"},
        id="line23",
    ),
    # 24: US bombing of a hospital: war + war crime; not 'terror' (a state military act)
    pytest.param(
        "The Party for Socialism and Liberation (USA) says the recent U.S. "
        "bombing of the Doctors Without Borders hospital in Kunduz is a war "
        "crime.",
        {"war_imperialism", "human_rights"},
        id="line24",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SEED)
def test_seed_statements_get_the_analysts_topics(taxonomy: Taxonomy, text: str, expected) -> None:
    assert set(tag_one(text, taxonomy)) == expected


@pytest.mark.parametrize(("text", "expected"), SEED)
def test_explain_matches_agrees_with_tag_topics(taxonomy: Taxonomy, text: str, expected) -> None:
    explained = explain_matches(text, taxonomy)
    assert set(explained) == expected
    for topic_id, words in explained.items():
        assert (words == []) == (topic_id == OTHER)
        assert all(w.lower() in text.lower().replace("\xa0", " ") or w in text for w in words)


def test_whole_seed_column_is_tagged_in_taxonomy_order(taxonomy: Taxonomy) -> None:
    texts = pd.Series([p.values[0] for p in SEED], index=range(100, 100 + len(SEED)))
    tagged = tag_topics(texts, taxonomy)
    assert list(tagged.index) == list(texts.index)
    order = {tid: i for i, tid in enumerate([*taxonomy.ids, OTHER])}
    for topics, param in zip(tagged, SEED, strict=True):
        assert set(topics) == param.values[1]
        assert [order[t] for t in topics] == sorted(order[t] for t in topics)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # word boundaries: a footballer is not a strike, an award or Warsaw is not a war
        ("Dockers on strike for a second day", {"labour"}),
        ("General strikes paralyse the country", {"labour"}),
        ("Striker scores twice in the derby", {OTHER}),
        ("An award for the party newspaper", {"media"}),
        ("Rally in Warsaw draws thousands", {OTHER}),
        ("Post-war reconstruction plan", {"war_imperialism"}),
        # case never matters
        ("WAR IN YEMEN ENTERS ITS FOURTH YEAR", {"war_imperialism"}),
        ("nato summit opens", {"war_imperialism"}),
        # hyphens and spaces vary
        ("New anticommunist law passed", {"anticommunism"}),
        ("Anti communist hysteria in the Baltics", {"anticommunism"}),
        ("Trade-union leaders arrested at dawn", {"labour", "anticommunism"}),
        ("Wave of privatizations hits ports", {"economy"}),
        ("Privatisation of water opposed", {"economy"}),
        # party and organisation names do not count as topics
        ("The Workers' Party of Belgium greets comrades", {OTHER}),
        ("The Workers\u2019 Party of Korea sends greetings", {OTHER}),
        ("Party for Socialism and Liberation holds rally", {OTHER}),
        ("Ban Ki-moon visits Havana", {OTHER}),
        ("Ban on the Communist Party upheld by court", {"anticommunism"}),
        # plural inflections
        ("Two parliamentary seats won", {"elections"}),
        ("Monopolies raise energy prices", {"economy"}),
        # the fallback
        ("Comrades meet for dinner", {OTHER}),
        ("", {OTHER}),
    ],
)
def test_awkward_cases(taxonomy: Taxonomy, text: str, expected: set[str]) -> None:
    assert set(tag_one(text, taxonomy)) == expected


def test_missing_texts_are_other_and_non_ascii_data_still_tags(taxonomy: Taxonomy) -> None:
    texts = pd.Series([None, np.nan, "Strike in İzmir \u2013 workers out", "Grève générale"])
    tagged = tag_topics(texts, taxonomy).tolist()
    # French patterns exist since issue 8: "Grève" (accented, non-ASCII) is a strike too.
    assert tagged == [[OTHER], [OTHER], ["labour"], ["labour"]]


def test_empty_series_gives_empty_result(taxonomy: Taxonomy) -> None:
    tagged = tag_topics(pd.Series([], dtype="str"), taxonomy)
    assert len(tagged) == 0
    assert tagged.name == "topics"


def test_rows_get_their_own_lists(taxonomy: Taxonomy) -> None:
    tagged = tag_topics(pd.Series(["strike", "strike"]), taxonomy)
    tagged.iloc[0].append("x")
    assert tagged.iloc[1] == ["labour"]


def test_explain_matches_lists_each_word_once_in_order(taxonomy: Taxonomy) -> None:
    got = explain_matches("War, war and NATO bases: the war goes on", taxonomy)
    assert got == {"war_imperialism": ["War", "NATO", "bases"]}


def test_explain_matches_other_when_nothing_matches(taxonomy: Taxonomy) -> None:
    assert explain_matches("Comrades meet for dinner", taxonomy) == {OTHER: []}


def test_with_ignored_blanks_extra_names(taxonomy: Taxonomy) -> None:
    text = "All-Workers Militant Front greets comrades"
    assert tag_one(text, taxonomy) == ["labour"]
    assert tag_one(text, taxonomy.with_ignored(["All-Workers Militant Front"])) == [OTHER]


def test_bundled_taxonomy_has_labelled_topics_and_other_last(taxonomy: Taxonomy) -> None:
    labels = topic_labels(taxonomy)
    assert len(taxonomy.topics) >= 12
    assert list(labels)[-1] == OTHER
    assert list(labels)[:-1] == taxonomy.ids
    assert labels["war_imperialism"] == "War, militarism and imperialism"
    assert all(t.description for t in taxonomy.topics)


USER_TAXONOMY = """
[[topic]]
id = "housing"
label = "Housing"
description = "Rents and evictions."
patterns = ["rent", "eviction", "re:homeless(ness)?"]

[[topic]]
id = "water"
label = "Water"
patterns = ["drinking water"]
"""


def test_user_taxonomy_file_replaces_the_bundled_one(tmp_path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(USER_TAXONOMY, encoding="utf-8")
    mine = load_taxonomy(str(path))
    texts = pd.Series(
        ["Evictions and rents soar", "Homelessness and drinking water", "A general strike"]
    )
    assert tag_topics(texts, mine).tolist() == [["housing"], ["housing", "water"], [OTHER]]
    assert topic_labels(mine) == {"housing": "Housing", "water": "Water", OTHER: "Other"}


def _topic(body: str) -> str:
    return f"[[topic]]\n{body}\n"


GOOD = _topic('id = "ok"\nlabel = "Ok"\npatterns = ["fine"]')


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ("[[topic]\nid = 1", ["not valid TOML", "line"]),
        ("", ["defines no topics"]),
        ("[ignore]\nphrases = []", ["defines no topics"]),
        ('topic = "x"', ["[[topic]] blocks"]),
        (_topic('id = "jobs"\npatterns = ["job"]'), ["topic 'jobs'", "no 'label'"]),
        (_topic('id = "jobs"\nlabel = "Jobs"'), ["topic 'jobs'", "no 'patterns'"]),
        (_topic('label = "Jobs"\npatterns = ["job"]'), ["topic #1", "no 'id'"]),
        (_topic('id = "Trade Unions"\nlabel = "T"\npatterns = ["x"]'), ["not a slug"]),
        (_topic('id = "other"\nlabel = "O"\npatterns = ["x"]'), ["topic 'other'", "reserved"]),
        (GOOD + GOOD, ["topic 'ok'", "more than one topic"]),
        (_topic('id = "jobs"\nlabel = "J"\npatterns = []'), ["topic 'jobs'", "no patterns"]),
        (_topic('id = "jobs"\nlabel = "J"\npatterns = "job"'), ["topic 'jobs'", "list of strings"]),
        (
            _topic('id = "jobs"\nlabel = "J"\npattern = ["job"]\npatterns = ["x"]'),
            ["topic 'jobs'", "unknown key", "pattern"],
        ),
        (
            _topic('id = "jobs"\nlabel = "J"\npatterns = ["re:(unclosed"]'),
            ["topic 'jobs'", "re:(unclosed", "not a valid regular expression"],
        ),
        (
            _topic('id = "jobs"\nlabel = "J"\npatterns = ["re:job(?=s)"]'),
            ["topic 'jobs'", "RE2"],
        ),
        (GOOD + '[ignore]\nphrases = ["re:(bad"]', ["[ignore]", "re:(bad"]),
    ],
)
def test_bad_taxonomy_files_raise_dataset_error(tmp_path, content: str, fragments) -> None:
    path = tmp_path / "broken_topics.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        load_taxonomy(path)
    message = str(err.value)
    assert "broken_topics.toml" in message
    for fragment in fragments:
        assert fragment in message


def test_missing_taxonomy_file_says_so(tmp_path) -> None:
    with pytest.raises(DatasetError, match="does not exist") as err:
        load_taxonomy(tmp_path / "nope.toml")
    assert "nope.toml" in str(err.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a military, sporting or legal strike is not a labour strike; a strike still is
        ("Drone strike hits a fuel depot near the border", "war_imperialism"),
        ("Court strikes down the new voting map", "elections"),
        ("Dockers strike as an air strike hits the port", "labour"),
        # a ban or an arrest is repression only next to who or what it hits
        ("City bans scooters on the seafront", OTHER),
        ("Man arrested after a car chase", OTHER),
        ("The government banned the Communist Party", "anticommunism"),
        ("Dozens of trade unionists arrested at dawn", "anticommunism"),
        # a press office is where a statement comes from, not media as a topic
        ("Press Office of the Central Committee", OTHER),
        ("Journalists denounce censorship", "media"),
        # es, pt, fr, it, de, tr
        ("Convocan una huelga general contra la reforma", "labour"),
        ("Os trabalhadores fazem greve", "labour"),
        ("Le syndicat appelle à la grève", "labour"),
        ("Sciopero dei lavoratori del porto", "labour"),
        ("Die Gewerkschaft ruft zum Streik auf", "labour"),
        ("Metal işçileri greve çıktı", "labour"),
        ("No a la guerra imperialista", "war_imperialism"),
        ("Gegen Faschismus und Krieg", "fascism"),
        ("Seçim sonuçları açıklandı", "elections"),
        ("Contre la répression des militants", "anticommunism"),
    ],
)
def test_topic_context_and_languages(text: str, expected: str, taxonomy: Taxonomy) -> None:
    assert expected in tag_topics(pd.Series([text]), taxonomy).iloc[0]
    if expected != OTHER:
        assert expected in explain_matches(text, taxonomy)


def test_an_unless_regex_is_checked(tmp_path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(
        '[[topic]]\nid = "a"\nlabel = "A"\npatterns = ["x"]\nunless = ["re:(?<=y)x"]\n',
        encoding="utf-8",
    )
    with pytest.raises(DatasetError, match="RE2"):
        load_taxonomy(path)
