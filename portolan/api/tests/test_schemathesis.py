"""Property-based run of schemathesis against the served OpenAPI schema: every operation, with
valid (positive) and invalid (negative) generated input, must answer without a server error and
with a response that matches the documented schema. Bounded to stay well under a minute."""

from collections import defaultdict
from contextlib import contextmanager

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.openapi import from_wsgi
from schemathesis.specs.openapi.checks import response_schema_conformance

from portolan.catalogue.models import PublicationStatus
from portolan.testing.factories import InitiativeFactory, PortCenterFactory

from .factories import member_with_token

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MAX_EXAMPLES = 10
CHECKS = [not_a_server_error, response_schema_conformance]


@contextmanager
def _keep_test_connection():
    """The WSGI handler closes database connections around each request; inside a test that
    would drop the test's transaction (Django's own test client does the same as this)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run_operation(operation, mode, headers, statuses):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        statuses[operation.label].add(response.status_code)

    run()


def test_api_survives_schemathesis_with_no_server_error_and_no_schema_mismatch():
    _user, organisation, meta = member_with_token()
    headers = {"Authorization": meta["HTTP_AUTHORIZATION"]}
    InitiativeFactory.create_batch(3)
    InitiativeFactory(organisation=organisation, publication_status=PublicationStatus.DRAFT)
    PortCenterFactory.create_batch(2)
    PortCenterFactory(organisation=organisation, publication_status=PublicationStatus.DRAFT)

    failures = []
    statuses = defaultdict(set)
    with _keep_test_connection():
        schema = from_wsgi("/api/openapi.json", get_wsgi_application())
        _run_all(schema, headers, statuses, failures)
    assert not failures, "\n\n".join(failures)
    assert len(statuses) >= 18
    # The token was accepted: valid bodies reached the services and created drafts.
    assert 201 in statuses["POST /api/v1/initiatives"]
    assert 201 in statuses["POST /api/v1/port-centers"]


def _run_all(schema, headers, statuses, failures):
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _run_operation(operation, mode, headers, statuses)
            except Unsatisfiable:
                # No parameters: nothing can be made invalid (GET /goals and the like).
                assert mode is GenerationMode.NEGATIVE
            except Exception as exc:  # collect every operation's failure, not just the first
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
