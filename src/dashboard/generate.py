"""Synthetic *raw* statements of real length, for benchmarks: ``dashboard generate``.

``generate_statements(n, seed)`` writes what a user would load - a title and a teaser of
150-400 characters, a date, a URL and a ``source`` - not an enriched frame: the texts name real
parties from ``data/parties.csv`` by full name, abbreviation or native name, with their home
countries, capitals and cities (``data/country_aliases.csv``) and topic words, in English,
Spanish, French, German, Portuguese and Italian, so that ``enrich`` does the work it does on real
party press. About a fifth of the rows are general news naming no party. Dates run 2000-2026,
about 15% known only to the month, 2% only to the year, 3% missing. Every row's ``source`` is
``synthetic``: this is test data and is never to be shown as real statements.

The same ``(n, seed)`` always gives the same rows; a million take well under a minute.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.countries import country_names, load_aliases
from dashboard.gazetteer import load_gazetteer

SOURCE = "synthetic"
FIRST_DAY = np.datetime64("2000-01-01", "D")
LAST_DAY = np.datetime64("2026-10-31", "D")
# day, month, year, none
PRECISION_SHARES = (0.80, 0.15, 0.02, 0.03)
GENERAL_NEWS_SHARE = 0.2
LANGUAGES = ("en", "es", "fr", "de", "pt", "it")
LANGUAGE_SHARES = (0.62, 0.12, 0.08, 0.07, 0.06, 0.05)

# Sentence frames per language. {party} is a party name (full, short or native), {country} a
# country name, {city} a city of that country, {topic} a topic phrase of that language.
_TITLES: dict[str, tuple[str, ...]] = {
    "en": (
        "{party} condemns {topic} in {country}",
        "{party} statement on {topic}",
        "{party} calls for action on {topic}",
        "Solidarity with the people of {country}: {party} on {topic}",
    ),
    "es": ("{party} denuncia {topic} en {country}", "Declaración del {party} sobre {topic}"),
    "fr": ("Le {party} dénonce {topic} en {country}", "Déclaration du {party} sur {topic}"),
    "de": ("{party} verurteilt {topic} in {country}", "Erklärung der {party} zu {topic}"),
    "pt": ("{party} denuncia {topic} em {country}", "Declaração do {party} sobre {topic}"),
    "it": ("Il {party} denuncia {topic} in {country}", "Dichiarazione del {party} su {topic}"),
}
_TEXTS: dict[str, tuple[str, ...]] = {
    "en": (
        "The Central Committee of the {party} met in {city} and discussed {topic}. "
        "The party said that the working people of {country} and of {country2} will not pay "
        "for the crisis, and called on workers, farmers and the youth to join the rallies.",
        "Speaking in {city}, the general secretary of the {party} said that {topic} shows the "
        "real face of the system. The party expressed its solidarity with the communists of "
        "{country2} and announced a series of events across {country}.",
        "In a statement issued in {city}, the {party} warned about {topic} and demanded "
        "that the government of {country} change course. Delegations from {country2} attended.",
    ),
    "es": (
        "El Comité Central del {party} se reunió en {city} para analizar {topic}. El partido "
        "afirmó que los trabajadores de {country} y de {country2} no pagarán la crisis y llamó "
        "a la movilización de los sectores populares.",
        "En {city}, el secretario general del {party} denunció {topic} y expresó la "
        "solidaridad del partido con el pueblo de {country2}.",
    ),
    "fr": (
        "Réuni à {city}, le comité central du {party} a examiné {topic}. Le parti affirme que "
        "les travailleurs de {country} et de {country2} ne paieront pas la crise et appelle à "
        "la mobilisation.",
        "À {city}, le secrétaire national du {party} a dénoncé {topic} et exprimé la "
        "solidarité du parti avec le peuple de {country2}.",
    ),
    "de": (
        "Der Parteivorstand der {party} tagte in {city} und beriet über {topic}. Die Partei "
        "erklärte, die arbeitenden Menschen in {country} und {country2} würden nicht für die "
        "Krise zahlen, und rief zu Protesten auf.",
        "In {city} kritisierte der Vorsitzende der {party} {topic} und erklärte die "
        "Solidarität der Partei mit dem Volk von {country2}.",
    ),
    "pt": (
        "O Comité Central do {party} reuniu-se em {city} e analisou {topic}. O partido afirmou "
        "que os trabalhadores de {country} e de {country2} não pagarão a crise e apelou à luta.",
        "Em {city}, o secretário-geral do {party} denunciou {topic} e expressou a "
        "solidariedade do partido com o povo de {country2}.",
    ),
    "it": (
        "Il Comitato Centrale del {party} si è riunito a {city} per discutere {topic}. Il "
        "partito afferma che i lavoratori di {country} e di {country2} non pagheranno la crisi.",
        "A {city}, il segretario del {party} ha denunciato {topic} ed espresso la solidarietà "
        "del partito con il popolo di {country2}.",
    ),
}
_TOPICS: dict[str, tuple[str, ...]] = {
    "en": (
        "the parliamentary elections",
        "the general strike of dock workers",
        "the NATO war plans and military bases",
        "rising prices and the cost of living",
        "the international meeting of communist and workers' parties",
        "the ban on communist symbols",
        "the privatisation of public health care",
        "the attack on trade union rights",
        "the climate crisis and energy poverty",
        "the rise of fascist groups",
        "students' protests against tuition fees",
        "women's equal pay",
    ),
    "es": (
        "las elecciones parlamentarias",
        "la huelga general",
        "la guerra imperialista de la OTAN",
        "la subida de los precios",
        "la prohibición de los símbolos comunistas",
        "la privatización de la sanidad pública",
    ),
    "fr": (
        "les élections législatives",
        "la grève générale",
        "la guerre impérialiste de l'OTAN",
        "la hausse des prix",
        "la répression anticommuniste",
        "la privatisation de la santé publique",
    ),
    "de": (
        "die Parlamentswahlen",
        "den Generalstreik",
        "die Kriegspolitik der NATO",
        "die steigenden Preise",
        "das Verbot kommunistischer Symbole",
        "die Privatisierung der Krankenhäuser",
    ),
    "pt": (
        "as eleições legislativas",
        "a greve geral",
        "a guerra imperialista da NATO",
        "o aumento dos preços",
        "a repressão anticomunista",
        "a privatização da saúde pública",
    ),
    "it": (
        "le elezioni politiche",
        "lo sciopero generale",
        "la guerra imperialista della NATO",
        "l'aumento dei prezzi",
        "la repressione anticomunista",
        "la privatizzazione della sanità pubblica",
    ),
}
# General news: no party, sometimes a country, words that look like party abbreviations.
_NEWS: tuple[str, ...] = (
    "Shares in chip makers rose after the new CPU line beat forecasts; analysts in {city} "
    "expect strong demand from data centres in {country} through the next quarter, while "
    "memory prices keep falling and smaller rivals struggle to keep up with the pace.",
    "The central bank of {country} held interest rates steady on Thursday as inflation eased "
    "for a third month. Economists in {city} said a cut could come early next year if energy "
    "prices stay low and the labour market cools further.",
    "Heavy rain flooded roads across {city} overnight, and the weather service of {country} "
    "warned of more storms over the weekend. Trains were cancelled and schools closed in "
    "several districts while emergency crews pumped water from basements.",
    "The home side won 3-1 in {city} after a late penalty, keeping its title hopes alive. The "
    "coach praised the young players and said the squad would rest before the cup match "
    "against the league leaders of {country} next week.",
    "A new museum of modern art opened in {city} with works by painters from {country} and "
    "abroad. Organisers expect half a million visitors in the first year and plan evening "
    "openings, concerts and a programme for schools.",
)


@dataclass(frozen=True)
class _Pools:
    party_names: np.ndarray  # one row per (party, way of naming it)
    party_country: np.ndarray  # ISO-3 per party-name row
    party_weight: np.ndarray
    countries: np.ndarray  # ISO-3 with at least one city or capital
    country_names: dict[str, str]
    cities: dict[str, list[str]]


@functools.lru_cache(maxsize=1)
def _pools() -> _Pools:
    parties = load_gazetteer().parties
    parties = parties[parties["kind"] == "party"].reset_index(drop=True)
    # Gazetteer order is roughly popularity order: a handful of parties dominate real feeds.
    rank_weight = 1.0 / np.arange(1, len(parties) + 1) ** 0.9
    names, countries, weights = [], [], []
    for i, row in parties.iterrows():
        forms = [(row["name"], 0.55)]
        if row["abbreviation"]:
            forms.append((row["abbreviation"], 0.35))
        if row["native_name"]:
            forms.append((row["native_name"], 0.10))
        for form, share in forms:
            names.append(form)
            countries.append(row["country"])
            weights.append(rank_weight[i] * share)
    aliases = load_aliases()
    places = aliases[aliases["kind"].isin(["capital", "city"])]
    cities = places.groupby("iso3")["alias"].agg(list).to_dict()
    named = {iso3: name for iso3, name in country_names().items() if iso3 in cities}
    w = np.array(weights)
    return _Pools(
        party_names=np.array(names, dtype=object),
        party_country=np.array(countries, dtype=object),
        party_weight=w / w.sum(),
        countries=np.array(sorted(named), dtype=object),
        country_names=named,
        cities=cities,
    )


def _dates(rng: np.random.Generator, n: int) -> list[str]:
    span = int((LAST_DAY - FIRST_DAY).astype(int)) + 1
    days = FIRST_DAY + (np.sqrt(rng.random(n)) * span).astype("timedelta64[D]")
    precision = rng.choice(4, size=n, p=PRECISION_SHARES)
    day_text = np.datetime_as_string(days, unit="D")
    out = np.where(precision == 1, np.char.add(day_text.astype("U7"), ""), day_text)
    out = np.where(precision == 2, day_text.astype("U4"), out)
    out = np.where(precision == 3, "", out)
    return out.tolist()


def generate_statements(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` raw synthetic statements (``id, title, text, date, url, source``)."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    pools = _pools()
    rng = np.random.default_rng(seed)
    lang_ix = rng.choice(len(LANGUAGES), size=n, p=LANGUAGE_SHARES)
    is_news = rng.random(n) < GENERAL_NEWS_SHARE
    party_ix = rng.choice(len(pools.party_names), size=n, p=pools.party_weight)
    home = pools.party_country[party_ix]
    # The statement's country is the party's home country most of the time.
    other = pools.countries[rng.integers(0, len(pools.countries), n)]
    second = pools.countries[rng.integers(0, len(pools.countries), n)]
    home_known = np.isin(home, pools.countries)
    country = np.where(home_known & (rng.random(n) < 0.8), home, other)
    title_pick = rng.integers(0, 1 << 30, n)
    text_pick = rng.integers(0, 1 << 30, n)
    topic_pick = rng.integers(0, 1 << 30, n)
    city_pick = rng.integers(0, 1 << 30, n)
    short = rng.random(n) < 0.55
    titles: list[str] = []
    texts: list[str] = []
    for i in range(n):
        iso = country[i]
        cities = pools.cities[iso]
        fill = {
            "country": pools.country_names[iso],
            "country2": pools.country_names[second[i]],
            "city": cities[city_pick[i] % len(cities)],
        }
        if is_news[i]:
            body = _NEWS[text_pick[i] % len(_NEWS)].format(**fill)
            titles.append(body.split(";")[0].split(".")[0][:90])
            texts.append(body.split(". ")[0] + "." if short[i] else body)
            continue
        lang = LANGUAGES[lang_ix[i]]
        topics = _TOPICS[lang]
        fill["topic"] = topics[topic_pick[i] % len(topics)]
        fill["party"] = pools.party_names[party_ix[i]]
        frames = _TITLES[lang]
        bodies = _TEXTS[lang]
        titles.append(frames[title_pick[i] % len(frames)].format(**fill))
        body = bodies[text_pick[i] % len(bodies)].format(**fill)
        # A teaser is often only the lead sentence.
        texts.append(body.split(". ")[0] + "." if short[i] else body)
    ids = [f"syn-{seed}-{i:08d}" for i in range(n)]
    return pd.DataFrame(
        {
            "id": ids,
            "title": titles,
            "text": texts,
            "date": _dates(rng, n),
            "url": [f"https://example.org/{SOURCE}/{i}" for i in ids],
            "source": SOURCE,
        }
    )
