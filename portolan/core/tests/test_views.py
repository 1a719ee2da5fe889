import pytest

from portolan.core.models import Goal, Mission


@pytest.mark.django_db
def test_vocabulary_is_loaded_by_migrations_in_three_languages():
    assert Goal.objects.count() == 10
    assert Mission.objects.count() == 10
    goal = Goal.objects.get(number=8)
    assert goal.name_en == "Port-city interface"
    assert goal.name_fr == "Interface ville-port"
    assert goal.name_es == "Interfaz puerto-ciudad"


@pytest.mark.django_db
def test_about_page_lists_goals_in_the_active_language(client):
    response = client.get("/fr/about/")
    assert response.status_code == 200
    assert "Protéger la biodiversité" in response.content.decode()


def test_floor_view_needs_no_database(client):
    assert client.get("/floor/").content == b"ok"


@pytest.mark.django_db
def test_unknown_page_renders_friendly_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_database(client):
    assert client.get("/healthz/").json()["status"] == "ok"
