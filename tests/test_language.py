"""Language detection (language.py) and the ``language`` column of the enriched frame."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.enrich import enrich
from dashboard.language import detect_language
from dashboard.paths import REPO_ROOT


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The workers of the port went on strike for higher wages.", "en"),
        ("Los trabajadores de la fábrica exigen un aumento del salario.", "es"),
        ("Os trabalhadores da fábrica não aceitam o acordo com a empresa.", "pt"),
        ("Les travailleurs de l'usine sont en grève pour les salaires.", "fr"),
        ("Die Arbeiter der Fabrik streiken für höhere Löhne und gegen den Abbau.", "de"),
        ("I lavoratori della fabbrica sono in sciopero per il salario.", "it"),
        ("Fabrika işçileri daha yüksek ücret için greve çıktı.", "tr"),
        ("Οι εργάτες του εργοστασίου απεργούν για υψηλότερους μισθούς.", "el"),
        ("Рабочие завода бастуют за повышение зарплаты.", "ru"),
        ("العمال في المصنع يضربون من أجل رفع الأجور", "ar"),
        ("کارگران کارخانه برای دستمزد بیشتر اعتصاب کردند", "fa"),
        ("Robotnicy fabryki strajkują, żądając wyższych płac.", "pl"),
        ("Công nhân nhà máy đình công đòi tăng lương.", "vi"),
        ("", ""),
        ("KKE 2024", ""),
    ],
)
def test_detects_the_language(text: str, code: str) -> None:
    assert detect_language([text]).tolist() == [code]


def test_a_foreign_name_in_english_text_stays_english() -> None:
    text = "The Communist Party of Greece (Κομμουνιστικό Κόμμα Ελλάδας) called a rally in the city."
    assert detect_language([text]).tolist() == ["en"]


def test_enrich_adds_language_and_keeps_given_codes() -> None:
    texts = ["The party called for a strike in the ports.", "El partido llamó a la huelga."]
    out = enrich(pd.DataFrame({"title": ["", ""], "text": texts}))
    assert out["language"].tolist() == ["en", "es"]
    given = pd.DataFrame({"title": ["", ""], "text": texts, "language": ["de", None]})
    assert enrich(given)["language"].tolist() == ["de", "es"]


def test_languages_file_is_valid() -> None:
    df = pd.read_csv(REPO_ROOT / "data" / "languages.csv", dtype=str, keep_default_na=False)
    assert list(df.columns) == ["language", "letters", "words", "weight"]
    assert df["weight"].str.fullmatch("[0-9]+").all()
    assert df["language"].str.fullmatch("[a-z]{2}").all() and df["language"].is_unique
    assert ((df["letters"] != "") | (df["words"] != "")).all()


def test_a_statement_without_evidence_takes_the_batch_language() -> None:
    texts = ["The party met in the capital for the congress."] * 9 + ["Nepal plane crash kills 68"]
    assert detect_language(texts).tolist()[-1] == "en"
    # but not in a mixed batch
    mixed = ["The party met in the capital.", "El partido se reunió en la capital.", "KKE 2024"]
    assert detect_language(mixed).tolist() == ["en", "es", ""]
