"""Property-based contract testing of every operation in our own OpenAPI document.

Schemathesis generates valid and invalid requests for each operation, sent as each role to
real records, and checks: no 5xx, responses (status, content type, headers, body) conform to
the document, and invalid data is rejected. Not checked: that every schema-valid request is
accepted, since some rules cannot be said in JSON Schema (a treatment slug must exist, a
country code must be a real one).
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from directory import create_app
from directory.config import TestingConfig

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "20"))


class SpecOnly(TestingConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite://"  # the document does not depend on data


schema = schemathesis.openapi.from_dict(
    create_app(SpecOnly).test_client().get("/api/v1/openapi.json").json
)
# Each role sends its own real token: the Authorization header is not generated (nor mutated
# into an "invalid" request that our token would then make valid). Who may call what is the
# authorization matrix's business (tests/security).
schema.config.generation.update(modes=list(GenerationMode), with_security_parameters=False)


@pytest.mark.parametrize("role", ["anonymous", "client", "owner", "admin"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_honours_the_contract(case, role, app, world):
    for name in case.path_parameters or {}:
        if name in world["ids"]:
            case.path_parameters[name] = world["ids"][name]
    actor = world["actors"][role]
    headers = actor.headers if actor else {}

    # Requests go to this test's app in-process, including the probes some checks add.
    case.operation.schema.app = case.operation.app = app
    case.call_and_validate(
        headers=headers,
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
