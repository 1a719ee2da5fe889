"""Hostile paths and methods pages do not take: clear 400/404/405 answers, never a 500."""

import pytest
from django.core.management import get_commands, load_command_class
from django.test import Client, RequestFactory

from portolan.testing.factories import InitiativeFactory, PortCenterFactory

pytestmark = pytest.mark.django_db

HOSTILE_PATHS = [
    "/static/../../etc/passwd",
    "/static/..%2f..%2fetc/passwd",
    "/static/css/../../../../etc/passwd",
    "/media/..%2f..%2fetc/passwd",
    "/static/%00",
    "/static/css/portolan%00.css",
    "/media/a%00b",
    "/en/catalogue/%00/",
    "/feeds/initiatives.rss%00",
]


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_hostile_paths_are_refused_not_a_server_error(settings, path, debug):
    settings.DEBUG = debug
    # A fresh client loads the middleware (WhiteNoise reads DEBUG then).
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 400


def test_refused_path_gets_the_sites_400_page(client):
    response = client.get("/static/../../etc/passwd")
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


def _wsgi_status(handler, raw_path: str) -> int:
    environ = RequestFactory()._base_environ(PATH_INFO=raw_path, REQUEST_METHOD="GET")
    statuses = []
    b"".join(handler(environ, lambda status, headers, *args: statuses.append(status)))
    return int(statuses[0].split()[0])


@pytest.mark.parametrize(
    "raw_path",
    ["/static/../../etc/passwd", "/static/css/../../../../etc/passwd", "/static/\x00"],
)
def test_development_server_refuses_traversal_of_static_files(settings, raw_path):
    """`manage.py runserver` with its default options, as `make run` starts it."""
    settings.DEBUG = True
    command = load_command_class(get_commands()["runserver"], "runserver")
    options = vars(command.create_parser("manage.py", "runserver").parse_args([]))
    handler = command.get_handler(**options)
    assert _wsgi_status(handler, raw_path) in (400, 404)
    assert _wsgi_status(handler, "/static/css/portolan.css") == 200


def test_static_files_are_still_served_in_debug(settings):
    settings.DEBUG = True
    response = Client().get("/static/css/portolan.css")
    assert response.status_code == 200


@pytest.fixture
def page_paths():
    return [
        "/",
        "/en/",
        InitiativeFactory().get_absolute_url(),
        PortCenterFactory().get_absolute_url(),
        "/en/search/?q=port",
    ]


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_pages_answer_405_with_allow_to_put_delete_and_patch(client, page_paths, method):
    for path in page_paths:
        response = getattr(client, method)(path)
        assert response.status_code == 405, path
        assert response["Allow"] == "GET, HEAD, POST", path


def test_post_still_reaches_views_with_forms(client):
    response = client.post("/en/accounts/login/", {"username": "nobody", "password": "x"})
    assert response.status_code == 200  # the form again, with its error
    # A view without a form keeps its own answer to POST.
    assert client.post("/en/search/").status_code == 405


def test_api_keeps_its_own_rules_for_methods(client):
    response = client.put("/api/v1/")
    assert response["Content-Type"].startswith("application/json")
    assert response.get("Allow") != "GET, HEAD, POST"
