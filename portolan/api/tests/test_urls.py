import pytest


@pytest.mark.django_db
def test_trailing_slash_redirects_to_canonical_resource_keeping_the_query(client):
    response = client.get("/api/v1/initiatives/?page=2&theme=education")
    assert response.status_code == 308
    assert response["Location"] == "/api/v1/initiatives?page=2&theme=education"


@pytest.mark.django_db
def test_unknown_api_path_still_answers_json_404(client):
    response = client.get("/api/v2/nothing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
