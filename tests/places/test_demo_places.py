"""The demo directory of `flask --app wsgi seed` lives in places the gazetteer knows."""

from seeds import SUSPENDED_DEMO
from seeds.practitioners import CITIES, PRACTITIONERS_PER_CITY

SEARCH = "/api/v1/practitioners"


def test_every_demo_city_is_a_place_and_some_treatments_have_prices(runner, client):
    seeded = runner.invoke(args=["seed"])
    assert seeded.exit_code == 0, seeded.output

    for city, _, country, *_ in CITIES:
        near = client.get(SEARCH, query_string={"near": city, "country": country})
        assert near.status_code == 200, (city, near.json)
        suspended = SUSPENDED_DEMO.startswith(f"practitioner-{city.lower()}-")  # out of search
        assert near.json["total"] == PRACTITIONERS_PER_CITY - suspended, city
    # Under another name of the same place:
    for english, country in (("Munich", "DE"), ("Milan", "IT"), ("Geneva", "CH")):
        found = client.get(SEARCH, query_string={"city": english}).json
        assert found["total"] == PRACTITIONERS_PER_CITY, english
        assert {item["country"] for item in found["items"]} == {country}
    items = client.get(SEARCH, query_string={"per_page": 100}).json["items"]
    priced = [item for item in items if item["treatment_prices"]]
    assert 0 < len(priced) < len(items)
    for item in priced:
        assert set(item["treatment_prices"]) <= set(item["treatments"])
        assert min(item["treatment_prices"].values()) >= item["price_from"]
