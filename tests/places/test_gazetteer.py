"""The gazetteer as migrations leave it: GeoNames cities, the names they answer to, and which
place an ambiguous name means."""

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.places.gazetteer import close_names, gazetteer_rows, is_kept_alternate, place_named
from directory.places.models import Place, PlaceName


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


def test_the_migrations_load_every_city_of_the_package(session):
    assert session.scalar(select(func.count()).select_from(Place)) == 34_006
    assert session.scalar(select(func.count()).select_from(PlaceName)) > 100_000


@pytest.mark.parametrize("name", ["Munich", "München", "Munchen", "munchen", "MUENCHEN", "Mailand"])
def test_a_place_answers_to_its_names_folded(session, name):
    expected = "Milan" if name == "Mailand" else "Munich"

    assert place_named(name).name == expected


@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        ("Geneva", None, ("Geneva", "CH")),  # 201,741 people
        ("Geneva", "US", ("Geneva", "US")),  # 21,806, in Illinois
        ("Springfield", None, ("Springfield", "US")),
        ("Paris", None, ("Paris", "FR")),
        ("Paris", "US", ("Paris", "US")),
        # An own name beats a far bigger city's rare alternate (Tijuana is also "Zaragoza")...
        ("Zaragoza", None, ("Zaragoza", "ES")),
        # ...but not a giant's common one.
        ("Mexico", None, ("Mexico City", "MX")),
    ],
)
def test_an_ambiguous_name_means_its_most_populous_place(session, name, country, expected):
    place = place_named(name, country)

    assert (place.name, place.country) == expected


def test_springfield_without_a_country_is_the_biggest_one(session):
    springfields = session.scalars(
        select(Place).where(Place.name == "Springfield").order_by(Place.population.desc())
    ).all()

    assert len(springfields) > 3
    assert place_named("Springfield").id == springfields[0].id


def test_an_unknown_name_is_none_and_a_country_narrows_the_search(session):
    assert place_named("Gotham Heights") is None
    assert place_named("Munich", "FR") is None


def test_close_names_suggest_the_place_meant(session):
    assert "München" in close_names("Muncen")
    assert close_names("Muncen", "DE")[0] == "München"
    assert close_names("Qqqqqqq") == []


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("München", True),
        ("Frankfurt/Main", True),
        ("'s-Gravenhage", True),
        ("Saint-Étienne", True),
        ("MUC", False),  # an airport code
        ("mwnkh", False),  # a machine transliteration
        ("mu ni hei", False),
        ("Naples (Florida)", False),  # annotated
        ("Мюнхен", False),  # not Latin script
        ("x" * 101, False),
    ],
)
def test_alternate_names_kept_are_latin_proper_nouns(name, kept):
    assert is_kept_alternate(name) is kept


def test_each_key_of_a_place_keeps_its_accented_spelling():
    city = {
        "geonameid": 1,
        "name": "Munich",
        "countrycode": "DE",
        "latitude": 48.1,
        "longitude": 11.6,
        "population": 1_000_000,
        "alternatenames": ["Munchen", "MUC", "München", "Muenchen", "mwnkh"],
    }

    places, names = gazetteer_rows([city])

    assert places == [
        {
            "id": 1,
            "name": "Munich",
            "country": "DE",
            "latitude": 48.1,
            "longitude": 11.6,
            "population": 1_000_000,
        }
    ]
    assert {(n["key"], n["name"], n["rank"]) for n in names} == {
        ("munich", "Munich", 1_000_000),
        ("munchen", "München", 10_000),
        ("muenchen", "Muenchen", 10_000),
    }
