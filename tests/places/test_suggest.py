"""GET /api/v1/suggest: treatments, places and practitioners for what a patient types."""

import os

import pytest

from directory.extensions import db
from directory.places import suggestions
from directory.treatments.models import Treatment
from tests.helpers import reviewed

SUGGEST = "/api/v1/suggest"


@pytest.fixture
def botulinum(app):
    """A treatment whose name starts with `bot` (the reference ones do not)."""
    with app.app_context():
        db.session.add(Treatment(slug="botulinum-toxin", name="Botulinum toxin"))
        db.session.commit()
    # Reference data never changes under a running service, which keeps what it computed
    # from it (core.reference_data): this test's process must forget it, before and after.
    suggestions._treatments.forget()
    yield
    with app.app_context():
        db.session.delete(db.session.get(Treatment, "botulinum-toxin"))
        db.session.commit()
    suggestions._treatments.forget()


@pytest.fixture
def practitioners(client, actors) -> dict:
    def profile(full_name, clinic_name, stars=(), **body):
        owner = actors.practitioner_with_profile(
            full_name=full_name, clinic_name=clinic_name, **body
        )
        for rating in stars:
            reviewed(client, actors.patient(), owner, rating=rating)
        return owner

    gone = profile("Dr Dan Bottom", "Cabinet Bottom")
    client.delete(f"/api/v1/practitioners/{gone.practitioner_id}", headers=gone.headers)
    return {
        "botha": profile("Dr Anna Botha", "Clinique Lumière", [3], city="Lyon"),
        "botticelli": profile("Dr Bob Botticelli", "Studio Derma", [5], city="Milano"),
        "abbott": profile("Dr Carl Abbott", "Botanica Clinic", city="London", country="GB"),
        "martin": profile("Dr Jean-Pierre Martin", "Clinique du Parc", [4], city="Paris"),
    }


def suggest(client, q, **query) -> dict:
    response = client.get(SUGGEST, query_string={"q": q, **query})
    assert response.status_code == 200, response.json
    return response.json


def test_a_prefix_finds_treatments_and_names_starting_so(client, practitioners, botulinum):
    body = suggest(client, "bot")

    assert body["treatments"] == [{"slug": "botulinum-toxin", "name": "Botulinum toxin"}]
    # best rated first; the clinic's name counts; a word inside a name ("Abbott") does not,
    # nor a deleted profile
    assert [p["full_name"] for p in body["practitioners"]] == [
        "Dr Bob Botticelli",
        "Dr Anna Botha",
        "Dr Carl Abbott",
    ]
    assert body["practitioners"][0] == {
        "id": practitioners["botticelli"].practitioner_id,
        "full_name": "Dr Bob Botticelli",
        "city": "Milano",
    }


@pytest.mark.parametrize("q", ["pierre", "PIERRE", "jean-pi", "dr jean", "parc"])
def test_any_word_of_a_name_or_clinic_matches_case_and_accent_insensitively(
    client, practitioners, q
):
    assert [p["full_name"] for p in suggest(client, q)["practitioners"]] == [
        "Dr Jean-Pierre Martin"
    ]


def test_treatments_match_a_word_of_their_name_or_slug(client):
    assert suggest(client, "resto")["treatments"] == [
        {"slug": "hair-restoration", "name": "Hair restoration"}
    ]
    assert [t["slug"] for t in suggest(client, "SKIN")["treatments"]] == ["skin-rejuvenation"]


@pytest.mark.parametrize(
    ("q", "name"), [("munchen", "München"), ("Münch", "München"), ("mun", "Munich")]
)
def test_places_come_under_the_name_that_matched(client, q, name):
    first = suggest(client, q)["places"][0]

    assert first["name"] == name
    assert first["country"] == "DE"
    assert first["latitude"] == pytest.approx(48.137, abs=0.01)


def test_places_come_by_population_each_once(client):
    places = suggest(client, "gen", limit=20)["places"]

    names = [p["name"] for p in places]
    assert names.index("Genoa") < names.index("Geneva")  # 580,000 people before 200,000
    assert len({(p["latitude"], p["longitude"]) for p in places}) == len(places)


def test_suggestions_of_a_place_resolve_as_near(client):
    place = suggest(client, "Genèv")["places"][0]

    search = client.get(
        "/api/v1/practitioners", query_string={"near": place["name"], "country": place["country"]}
    )
    assert search.status_code == 200


def test_limit_caps_each_kind(client, practitioners):
    body = suggest(client, "d", limit=1)

    assert len(body["practitioners"]) == 1 and len(body["places"]) == 1


def test_small_typos_are_forgiven_on_postgresql_only(app, client, practitioners):
    clinque = [p["full_name"] for p in suggest(client, "clinque")["practitioners"]]
    munchn = [p["name"] for p in suggest(client, "munchn")["places"]]

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert set(clinque) == {"Dr Anna Botha", "Dr Jean-Pierre Martin", "Dr Carl Abbott"}
        assert munchn[0] == "München"
    else:  # SQLite: prefixes only, deterministic
        assert clinque == [] and munchn == []


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="typos are forgiven on PostgreSQL only"
)
def test_practitioners_found_despite_a_typo_come_in_the_rating_sort(client, actors):
    """Not the closest first: the contract orders practitioners by the rating sort, and so
    PostgreSQL can stop walking the rating index when a common word has a typo."""
    for full_name, clinic_name, rating in [
        ("Dr Ada Close", "Clinique Nord", 2),
        ("Dr Bea Rated", "Clinic Sud", 5),
        ("Dr Cyd Middle", "Clinique Est", 4),
    ]:
        owner = actors.practitioner_with_profile(full_name=full_name, clinic_name=clinic_name)
        reviewed(client, actors.patient(), owner, rating=rating)

    found = [p["full_name"] for p in suggest(client, "clinque")["practitioners"]]

    assert found == ["Dr Bea Rated", "Dr Cyd Middle", "Dr Ada Close"]


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="typos are forgiven on PostgreSQL only"
)
def test_a_typo_is_a_word_close_to_a_word_of_the_profile(
    client, actors, practitioners, record_statements
):
    """`clinque` is read as the words of the directory close to it (`clinique`, `clinic`),
    whose profiles are found by prefix; `lumeire` is close to no word, though an extent across
    two words of a key resembles it (`lefevre lumiere`): no typo."""
    actors.practitioner_with_profile(full_name="Dr Yasmine Lefevre", clinic_name="Lumiere Med")
    answers = []

    statements = record_statements(
        lambda: answers.extend(suggest(client, q) for q in ("clinque", "lumeire"))
    )

    clinque, lumeire = (answer["practitioners"] for answer in answers)
    assert {p["full_name"] for p in clinque} == {
        "Dr Anna Botha",
        "Dr Jean-Pierre Martin",
        "Dr Carl Abbott",
    }
    assert lumeire == []
    assert len([s for s in statements if "FROM search_words" in s]) == 2, statements
    assert not [s for s in statements if "practitioners.suggest_key %>" in s], statements


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="typos are forgiven on PostgreSQL only"
)
def test_a_typo_is_read_as_whole_words_however_the_directory_writes_them(
    client, actors, practitioners
):
    # Words of biographies with their punctuation, more common than `clinic`, and equally
    # close to `clinque`: one word, `clinique`, which also begins `cliniques`.
    for _ in range(2):
        actors.practitioner_with_profile(
            clinic_name="Cabinet Sud",
            bio="The clinique, the clinique. (clinique) clinique: clinique; cliniques clinique!",
        )
    # `pierre` inside two compound names: one word, which finds both.
    marie_pierre = actors.practitioner_with_profile(
        full_name="Dr Marie-Pierre Roux", clinic_name="Cabinet Roux"
    )

    clinque = {p["full_name"] for p in suggest(client, "clinque")["practitioners"]}
    piere = {p["id"] for p in suggest(client, "piere")["practitioners"]}

    assert clinque == {"Dr Anna Botha", "Dr Jean-Pierre Martin", "Dr Carl Abbott"}
    assert {marie_pierre.practitioner_id, practitioners["martin"].practitioner_id} <= piere


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="typos are forgiven on PostgreSQL only"
)
def test_several_words_with_a_typo_are_compared_with_the_whole_name(client, practitioners):
    found = [p["full_name"] for p in suggest(client, "clinque lumiere")["practitioners"]]

    assert found == ["Dr Anna Botha"]


def test_nothing_matches_nothing(client, practitioners):
    assert suggest(client, "zzzzqqq") == {"treatments": [], "places": [], "practitioners": []}


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "!!!"},
        {"q": "—·'"},
        {"q": "x" * 101},
        {"q": "bot", "limit": 0},
        {"q": "bot", "limit": 21},
        {"q": "bot", "limit": "many"},
        {"q": "bot", "page": 2},
    ],
)
def test_bad_input_is_a_422(client, query):
    response = client.get(SUGGEST, query_string=query)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_suggestions_are_public_and_cacheable(client):
    response = client.get(SUGGEST, query_string={"q": "par"})

    assert response.headers["Cache-Control"].startswith("public")
    assert "ETag" in response.headers
