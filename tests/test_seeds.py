def test_seed_loads_a_searchable_demo_directory_and_is_idempotent(runner, client):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    total = client.get("/api/v1/practitioners").json["total"]

    second = runner.invoke(args=["seed"])

    assert second.exit_code == 0, second.output
    assert total >= 30
    assert client.get("/api/v1/practitioners").json["total"] == total
    paris = client.get("/api/v1/practitioners", query_string={"city": "paris"}).json
    assert paris["total"] >= 1
