"""Prices per treatment on profiles, and max_price in a currency."""

import pytest

SEARCH = "/api/v1/practitioners"


@pytest.fixture
def priced(actors) -> dict[str, str]:
    """Profiles with and without prices of their own, in euros and Swiss francs."""
    bodies = {
        # price_from 120, anti-aging at 90: cheap for anti-aging only
        "Dr Ada Cheap Botox": {
            "treatments": ["anti-aging", "cellulite"],
            "price_from": 120,
            "treatment_prices": {"anti-aging": 90},
        },
        # price_from 80, anti-aging at 300: cheap in general, dear for anti-aging
        "Dr Bea Dear Botox": {
            "treatments": ["anti-aging", "cellulite"],
            "price_from": 80,
            "treatment_prices": {"anti-aging": 300, "cellulite": 80},
        },
        # no price of its own: price_from applies
        "Dr Cy Flat Rate": {"treatments": ["anti-aging"], "price_from": 100},
        # the same numbers in another currency
        "Dr Dee Franc": {
            "treatments": ["anti-aging"],
            "price_from": 50,
            "currency": "CHF",
            "treatment_prices": {"anti-aging": 50},
        },
        "Dr Eve No Price": {"treatments": ["anti-aging"], "price_from": None},
    }
    return {
        name: actors.practitioner_with_profile(full_name=name, **body).practitioner_id
        for name, body in bodies.items()
    }


def found(client, *query) -> list[str]:
    response = client.get(SEARCH, query_string=[*query, ("sort", "name")])
    assert response.status_code == 200, response.json
    return [item["full_name"] for item in response.json["items"]]


def test_profiles_show_their_treatment_prices(client, priced):
    profile = client.get(f"{SEARCH}/{priced['Dr Bea Dear Botox']}").json
    item = next(
        i for i in client.get(SEARCH).json["items"] if i["full_name"] == "Dr Ada Cheap Botox"
    )

    assert profile["treatment_prices"] == {"anti-aging": 300, "cellulite": 80}
    assert item["treatment_prices"] == {"anti-aging": 90}
    flat = client.get(f"{SEARCH}/{priced['Dr Cy Flat Rate']}").json
    assert flat["treatment_prices"] == {}


def test_max_price_with_one_treatment_uses_its_price_else_price_from(client, priced):
    assert found(client, ("treatment", "anti-aging"), ("max_price", 100)) == [
        "Dr Ada Cheap Botox",
        "Dr Cy Flat Rate",
    ]
    assert found(client, ("treatment", "cellulite"), ("max_price", 100)) == ["Dr Bea Dear Botox"]


def test_max_price_without_or_with_several_treatments_uses_price_from(client, priced):
    assert found(client, ("max_price", 100)) == ["Dr Bea Dear Botox", "Dr Cy Flat Rate"]
    both = [("treatment", "anti-aging"), ("treatment", "cellulite"), ("max_price", 100)]
    assert found(client, *both) == ["Dr Bea Dear Botox"]


def test_only_profiles_priced_in_the_currency_match_max_price(client, priced):
    assert "Dr Dee Franc" not in found(client, ("max_price", 1000))  # EUR by default
    assert found(client, ("max_price", 1000), ("currency", "chf")) == ["Dr Dee Franc"]
    assert found(client, ("max_price", 1000), ("currency", "USD")) == []


def test_currency_alone_filters_nothing(client, priced):
    assert len(found(client, ("currency", "CHF"))) == len(priced)


def test_a_price_for_a_treatment_not_offered_is_a_422(client, actors):
    owner = actors.practitioner()
    body = {
        "full_name": "Dr Fay",
        "city": "Paris",
        "country": "FR",
        "treatments": ["anti-aging"],
        "treatment_prices": {"anti-aging": 100, "cellulite": 80},
    }

    response = client.post(SEARCH, json=body, headers=owner.headers)

    assert response.status_code == 422
    assert "cellulite" in response.json["errors"]["treatment_prices"][0]


@pytest.mark.parametrize(
    "prices",
    [{"anti-aging": -1}, {"anti-aging": "cheap"}, {"anti-aging": None}, {"": 10}, ["anti-aging"]],
)
def test_malformed_prices_are_422s(client, owner, prices):
    response = client.patch(
        f"{SEARCH}/{owner.practitioner_id}",
        json={"treatment_prices": prices},
        headers=owner.headers,
    )

    assert response.status_code == 422


def test_changing_treatments_keeps_the_prices_of_those_kept(client, owner):
    url = f"{SEARCH}/{owner.practitioner_id}"
    client.patch(
        url,
        json={
            "treatments": ["anti-aging", "hair-restoration"],
            "treatment_prices": {"anti-aging": 150, "hair-restoration": 200},
        },
        headers=owner.headers,
    )

    changed = client.patch(
        url, json={"treatments": ["hair-restoration", "cellulite"]}, headers=owner.headers
    )
    priced_later = client.patch(
        url, json={"treatment_prices": {"anti-aging": 10}}, headers=owner.headers
    )
    cleared = client.patch(url, json={"treatment_prices": {}}, headers=owner.headers)

    assert changed.status_code == 200
    assert changed.json["treatments"] == ["cellulite", "hair-restoration"]
    assert changed.json["treatment_prices"] == {"hair-restoration": 200}
    assert priced_later.status_code == 422  # anti-aging is no longer offered
    assert cleared.json["treatment_prices"] == {}
