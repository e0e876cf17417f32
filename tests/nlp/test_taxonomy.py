"""The taxonomy and department files: the shipped ones are valid, broken ones name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tyndau.nlp.taxonomy import (
    LANGS,
    TaxonomyError,
    load_departments,
    load_taxonomy,
    parse_taxonomy,
)

EXPECTED_IDS = (
    "utilities", "roads_transport", "improvement_ecology", "social_infrastructure", "land_housing",
    "social_support", "healthcare", "education", "agriculture", "business_trade", "connectivity",
    "public_order", "public_services", "culture_sport", "other",
)

GOOD = """
[[category]]
id = "water"

[category.name]
ru = "Вода"
kk = "Су"

[category.description]
ru = "Водоснабжение"
kk = "Сумен жабдықтау"

[category.keywords]
ru = ["вод"]
kk = ["су"]

[category.examples]
ru = ["Нет воды"]
kk = ["Су жоқ"]
"""


def test_shipped_taxonomy_has_the_fifteen_ids_in_both_languages() -> None:
    tax = load_taxonomy()
    assert tax.ids == EXPECTED_IDS
    for cat in tax:
        for lang in LANGS:
            assert cat.name[lang] and cat.description[lang]
            assert cat.examples[lang], (cat.id, lang)
        assert len(cat.examples["ru"]) + len(cat.examples["kk"]) >= 20, cat.id


def test_shipped_departments_cover_every_category() -> None:
    tax = load_taxonomy()
    deps = load_departments(taxonomy=tax)
    assert set(deps) == set(tax.ids)
    assert all(d.label("kk") and d.label("ru") for d in deps.values())


def test_duplicate_id_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.toml"
    path.write_text(GOOD + GOOD, encoding="utf-8")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    second_id_line = [n for n, line in enumerate((GOOD + GOOD).splitlines(), 1)
                      if line.startswith("id =")][1]
    assert err.value.line == second_id_line
    assert str(err.value).startswith(f"{path}:{second_id_line}:")
    assert "duplicate category id 'water'" in str(err.value)


def test_missing_language_names_the_line() -> None:
    text = GOOD.replace('kk = "Су"\n', "")
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(text, source="tax.toml")
    name_line = text.splitlines().index("[category.name]") + 1
    assert err.value.line == name_line
    assert "missing language 'kk'" in str(err.value) and "tax.toml:" in str(err.value)


def test_missing_example_language_names_the_table_line() -> None:
    text = GOOD.replace('kk = ["Су жоқ"]\n', "")
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(text, source="tax.toml")
    assert err.value.line == text.splitlines().index("[category.examples]") + 1
    assert "examples is missing language 'kk'" in str(err.value)


def test_bad_toml_and_bad_id_are_reported_with_lines() -> None:
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(GOOD + "\n[[category]\n", source="t.toml")
    assert err.value.line is not None and "invalid TOML" in str(err.value)
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(GOOD.replace('id = "water"', 'id = "Water Supply"'), source="t.toml")
    assert err.value.line == 3


def test_unknown_key_is_an_error() -> None:
    with pytest.raises(TaxonomyError, match="unknown key 'exmaples'"):
        parse_taxonomy(GOOD + '\n[category.exmaples]\nru = ["x"]\n', source="t.toml")


def test_departments_errors(tmp_path: Path) -> None:
    tax = parse_taxonomy(GOOD)
    path = tmp_path / "departments.toml"
    path.write_text('[water]\nru = "Водоканал"\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"departments.toml:1: .*missing language 'kk'"):
        load_departments(path, tax)
    path.write_text('[roads]\nru = "Дороги"\nkk = "Жолдар"\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="unknown category 'roads'"):
        load_departments(path, tax)
