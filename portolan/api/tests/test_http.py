"""The API's HTTP rules: caching, CORS, rate limits, tokens and refused input, all in JSON."""

import pytest
from django.utils import timezone

from portolan.api import tokens
from portolan.testing.factories import InitiativeFactory, UserFactory

from .factories import bearer, member_with_token, token_for

pytestmark = pytest.mark.django_db


def test_etag_lets_a_client_revalidate_with_304(client):
    InitiativeFactory()
    first = client.get("/api/v1/initiatives")
    etag = first["ETag"]
    assert etag.startswith('"')
    # Browsers send Origin on every cross-site request; the CORS library answers only those.
    again = client.get(
        "/api/v1/initiatives", HTTP_IF_NONE_MATCH=etag, HTTP_ORIGIN="https://other.example"
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    assert again["RateLimit-Remaining"]
    InitiativeFactory()
    changed = client.get("/api/v1/initiatives", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_last_modified_is_the_newest_update_and_honours_if_modified_since(client):
    initiative = InitiativeFactory()
    response = client.get(f"/api/v1/initiatives/{initiative.pk}")
    assert response["Last-Modified"] == response["Last-Modified"]  # present
    later = client.get(
        f"/api/v1/initiatives/{initiative.pk}", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]
    )
    assert later.status_code == 304
    earlier = client.get(
        f"/api/v1/initiatives/{initiative.pk}",
        HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT",
    )
    assert earlier.status_code == 200
    assert client.get("/api/v1/initiatives")["Last-Modified"] == response["Last-Modified"]


def test_reads_are_cors_open_and_preflight_allows_only_reads(client):
    response = client.get("/api/v1/goals", HTTP_ORIGIN="https://other.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/initiatives",
        HTTP_ORIGIN="https://other.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert preflight.status_code == 200  # django-cors-headers answers 200, not 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Authorization" not in preflight["Access-Control-Allow-Headers"]
    assert preflight["Access-Control-Max-Age"] == "86400"


def test_plain_options_lists_the_read_methods(client):
    response = client.options("/api/v1/initiatives")
    assert response.status_code == 204
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Origin" not in response


def test_pages_of_the_site_are_not_cors_open(client):
    response = client.get("/en/", HTTP_ORIGIN="https://other.example")
    assert "Access-Control-Allow-Origin" not in response


def test_write_responses_are_not_cors_open(client):
    response = client.post(
        "/api/v1/initiatives",
        data={},
        content_type="application/json",
        HTTP_ORIGIN="https://x.example",
    )
    assert response.status_code == 401
    assert "Access-Control-Allow-Origin" not in response


def test_head_gives_the_get_headers_without_a_body(client):
    InitiativeFactory()
    get = client.get("/api/v1/initiatives")
    head = client.head("/api/v1/initiatives")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]


# Windows slide (a call counts for one period after it was made): tests use a day so that no
# call leaves the window during a test.


def test_anonymous_rate_limit_answers_429_with_retry_after(client, settings):
    settings.API_RATE_LIMITS = {"anon": "3/d", "token": "100/d"}
    for _ in range(3):
        assert client.get("/api/v1/goals").status_code == 200
    response = client.get("/api/v1/goals")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 86400
    assert "Too many requests" in response.json()["detail"]
    # Another client address has its own budget.
    assert client.get("/api/v1/goals", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_each_token_has_its_own_rate_limit(client, settings):
    settings.API_RATE_LIMITS = {"anon": "2/d", "token": "4/d"}
    _user, _org, headers = member_with_token()
    for _ in range(4):
        assert client.get("/api/v1/goals", **headers).status_code == 200
    refused = client.get("/api/v1/goals", **headers)
    assert refused.status_code == 429
    assert refused["RateLimit-Limit"] == "4" and refused["RateLimit-Remaining"] == "0"
    assert client.get("/api/v1/goals").status_code == 200  # the IP budget is separate


def test_tokens_with_the_same_name_have_separate_budgets(client, settings):
    settings.API_RATE_LIMITS = {"anon": "100/d", "token": "1/d"}
    first, second = UserFactory(), UserFactory()
    assert client.get("/api/v1/goals", **bearer(token_for(first))).status_code == 200
    assert client.get("/api/v1/goals", **bearer(token_for(second))).status_code == 200


def test_bad_tokens_count_against_the_client_address(client, settings):
    settings.API_RATE_LIMITS = {"anon": "2/d", "token": "100/d"}
    for _ in range(2):
        assert client.get("/api/v1/goals", HTTP_AUTHORIZATION="Bearer guess").status_code == 401
    assert client.get("/api/v1/goals", HTTP_AUTHORIZATION="Bearer guess").status_code == 429
    assert client.get("/api/v1/goals").status_code == 429


def test_rate_limit_headers_count_down(client, settings):
    settings.API_RATE_LIMITS = {"anon": "5/d", "token": "100/d"}
    first = client.get("/api/v1/goals")
    second = client.get("/api/v1/goals")
    assert first["RateLimit-Limit"] == "5"
    assert (first["RateLimit-Remaining"], second["RateLimit-Remaining"]) == ("4", "3")


def test_forwarded_for_counts_only_behind_configured_proxies(client, settings):
    settings.API_RATE_LIMITS = {"anon": "1/d", "token": "100/d"}
    assert client.get("/api/v1/goals", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    # No trusted proxy: a forged header does not buy a new budget.
    assert client.get("/api/v1/goals", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429
    settings.NINJA_NUM_PROXIES = 1
    assert client.get("/api/v1/goals", HTTP_X_FORWARDED_FOR="3.3.3.3").status_code == 200


def test_invalid_and_revoked_tokens_answer_401(client):
    user = UserFactory()
    secret = token_for(user)
    assert client.get("/api/v1/initiatives", **bearer(secret)).status_code == 200
    for header in ("Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer ", "Bearer " + "x" * 5000):
        response = client.get("/api/v1/initiatives", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response.json()["detail"].startswith("Invalid or revoked API token")
        assert response["WWW-Authenticate"].startswith("Bearer")
    token = user.api_tokens.get()
    tokens.revoke_token(user=user, token_id=token.pk)
    assert client.get("/api/v1/initiatives", **bearer(secret)).status_code == 401


def test_token_of_an_inactive_user_is_refused(client):
    user = UserFactory()
    secret = token_for(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/goals", **bearer(secret)).status_code == 401


def test_token_use_is_recorded(client):
    user = UserFactory()
    secret = token_for(user)
    before = timezone.now()
    client.get("/api/v1/goals", **bearer(secret))
    assert user.api_tokens.get().last_used_at >= before


def test_token_responses_are_private_and_anonymous_ones_public(client):
    _user, _org, headers = member_with_token()
    assert client.get("/api/v1/goals")["Cache-Control"] == "public, max-age=60"
    assert client.get("/api/v1/goals", **headers)["Cache-Control"] == "private, no-cache"
    assert "Authorization" in client.get("/api/v1/goals")["Vary"]


def test_oversized_body_is_refused_with_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    _user, _org, headers = member_with_token()
    body = '{"title": "' + "x" * 2000 + '"}'
    response = client.post(
        "/api/v1/initiatives", data=body, content_type="application/json", **headers
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_non_json_bodies_and_broken_json_are_refused(client):
    _user, _org, headers = member_with_token()
    form = client.post("/api/v1/initiatives", data={"title": "x"}, **headers)
    assert form.status_code == 415
    assert "JSON" in form.json()["detail"]
    broken = client.post(
        "/api/v1/initiatives", data="{not json", content_type="application/json", **headers
    )
    assert broken.status_code == 400
    assert broken.json()["detail"] == "The request body is not valid JSON."
    wrong_shape = client.post(
        "/api/v1/initiatives", data="[1, 2]", content_type="application/json", **headers
    )
    assert wrong_shape.status_code in (400, 422)
    assert wrong_shape.json()["detail"]


def test_nul_characters_in_query_are_refused(client):
    response = client.get("/api/v1/initiatives?q=a%00b")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_wrong_method_answers_405_in_json_with_allow(client):
    response = client.delete("/api/v1/goals")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert "Method not allowed" in response.json()["detail"]
