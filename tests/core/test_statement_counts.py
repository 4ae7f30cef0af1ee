"""No N+1: every list costs the same number of SQL statements for 1 item as for 100."""

import pytest

from directory.places import gazetteer, suggestions
from tests.helpers import document_form, published_gallery_item, reviewed, send_multipart

ITEMS = 3


@pytest.fixture
def lists(client, actors) -> dict:
    """Several records in every list, and who may read each list."""
    owner = actors.practitioner_with_profile()
    admin = actors.admin()
    base = f"/api/v1/practitioners/{owner.practitioner_id}"
    for n in range(2 * ITEMS):
        certification = client.post(
            f"{base}/certifications",
            json={"name": f"DU {n}", "issuing_body": "Université", "issued_on": "2020-01-01"},
            headers=owner.headers,
        ).json
        document = f"{base}/certifications/{certification['id']}/document"
        send_multipart(client, "PUT", document, document_form(), owner.headers)
        if n % 2:  # half verified (audited, public), half pending (the admin's queue)
            client.post(
                f"/api/v1/admin/certifications/{certification['id']}/verify",
                headers=admin.headers,
            )
    reporter = actors.patient()
    for _ in range(ITEMS):
        published_gallery_item(client.application, client, owner)
        testimonial = reviewed(client, actors.patient(), owner)
        client.post(
            f"/api/v1/testimonials/{testimonial['id']}/reports",
            json={"reason": "Spam"},
            headers=reporter.headers,
        )
    return {
        "treatments": ("/api/v1/treatments", None),
        "certifications": (f"{base}/certifications", None),
        "gallery": (f"{base}/gallery", None),
        "testimonials": (f"{base}/testimonials", None),
        "consultations": ("/api/v1/consultations", owner),
        "certification queue": ("/api/v1/admin/certifications", admin),
        "moderation queue": ("/api/v1/admin/testimonials", admin),
        "audit log": ("/api/v1/admin/audit-log", admin),
    }


LISTS = [
    "treatments",
    "certifications",
    "gallery",
    "testimonials",
    "consultations",
    "certification queue",
    "moderation queue",
    "audit log",
]


@pytest.mark.parametrize("name", LISTS)
def test_a_page_of_100_costs_the_statements_of_a_page_of_1(client, lists, count_statements, name):
    url, actor = lists[name]
    headers = actor.headers if actor else {}

    def page(size: int):
        response = client.get(url, query_string={"per_page": size}, headers=headers)
        assert response.status_code == 200, response.json
        pages.append(response.json)

    pages = []
    one = count_statements(lambda: page(1))
    many = count_statements(lambda: page(100))

    assert len(pages[0]["items"]) == 1 and len(pages[1]["items"]) >= ITEMS
    assert one == many


def test_a_filtered_search_costs_one_statement_however_many_treatments(
    client, actors, count_statements
):
    """One statement answers the search; treatments the process has found before cost no
    validation query (the first lookup: tests/treatments)."""
    for _ in range(3):
        actors.practitioner_with_profile(treatments=["anti-aging", "hair-restoration", "cellulite"])

    def search(*slugs: str) -> None:
        query = [("treatment", slug) for slug in slugs] + [("language", "fr")]
        response = client.get("/api/v1/practitioners", query_string=query)
        assert response.status_code == 200, response.json

    search("anti-aging", "hair-restoration", "cellulite")
    one = count_statements(lambda: search("anti-aging"))
    three = count_statements(lambda: search("anti-aging", "hair-restoration", "cellulite"))

    assert one == three == 1


@pytest.mark.parametrize("where", ["city", "near"])
def test_a_search_by_place_looks_its_name_up_once(client, actors, count_statements, where):
    """The gazetteer changes only with a migration: a place name resolved once is kept
    (places.gazetteer), and the next search by it is the page's statement alone."""
    actors.practitioner_with_profile(city="Lyon", country="FR", latitude=45.76, longitude=4.84)
    gazetteer._place_named.forget()
    gazetteer.places_answering.forget()

    def search() -> None:
        response = client.get("/api/v1/practitioners", query_string={where: "Lyon"})
        assert response.status_code == 200, response.json
        assert response.json["total"] == 1

    assert (count_statements(search), count_statements(search)) == (2, 1)


def test_suggestions_cost_one_statement_per_kind_then_one(client, actors, count_statements):
    """Treatments, places, practitioners the first time something is typed; then practitioners
    alone: treatments and places are reference data (core.reference_data). PostgreSQL's typo
    setting comes with the connection (places.matching), not as a statement of its own."""
    actors.practitioner_with_profile()
    suggestions._treatments.forget()
    suggestions._places.forget()

    def suggest() -> None:
        assert client.get("/api/v1/suggest", query_string={"q": "dr"}).status_code == 200

    assert (count_statements(suggest), count_statements(suggest)) == (3, 1)


def counts_alone(statements: list[str]) -> list[str]:
    """The statements that only count (a list's page carries its count otherwise)."""
    return [s for s in statements if s.lstrip().startswith("SELECT count(*)")]


@pytest.mark.parametrize("name", LISTS)
def test_a_page_and_its_total_come_in_one_statement(client, lists, record_statements, name):
    """The rows carry the list's total (core.pagination.Listing); only a page past the end,
    with no row to carry it, counts on its own, and still answers the same total."""
    url, actor = lists[name]
    headers = actor.headers if actor else {}
    pages = []

    def page(number: int):
        response = client.get(url, query_string={"page": number}, headers=headers)
        assert response.status_code == 200, response.json
        pages.append(response.json)

    first = record_statements(lambda: page(1))
    past_the_end = record_statements(lambda: page(1000))

    first_page, empty_page = pages
    assert first_page["items"] and not empty_page["items"]
    assert first_page["total"] == empty_page["total"] >= len(first_page["items"])
    assert not counts_alone(first) and len(counts_alone(past_the_end)) == 1


def test_an_empty_list_is_not_counted_again(client, actors, record_statements):
    newcomer = actors.practitioner_with_profile()
    url = f"/api/v1/practitioners/{newcomer.practitioner_id}/testimonials"
    answers = []

    statements = record_statements(lambda: answers.append(client.get(url).json))

    assert (answers[0]["items"], answers[0]["total"], answers[0]["pages"]) == ([], 0, 0)
    assert not counts_alone(statements)


def test_a_profile_page_reads_its_languages_from_its_row(client, actors, record_statements):
    owner = actors.practitioner_with_profile(languages=["fr", "en", "de"])
    answers = []

    statements = record_statements(
        lambda: answers.append(client.get(f"/api/v1/practitioners/{owner.practitioner_id}").json)
    )

    assert answers[0]["languages"] == ["de", "en", "fr"]
    assert not [s for s in statements if "practitioner_languages" in s]
