"""An inspector's reason for a decision on a finding may name people, so it is sealed with a key
of the finding's own: the log and the read models hold its length only, reviewers of the
finding's county read the words, others see the mask, and destroying the key erases it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from renovation.aggregates.finding import FindingReview, review_id
from renovation.bootstrap import Runtime
from renovation.kernel.protected import ProtectedValue
from renovation.simulation.demo import SimulatedClock
from tests.support.api import api_client, body, catch_up, token
from tests.support.app import Scenario

REASON = "经查户主李秀英（13912345678）与邻户共用账户，系代收，排除"
MASKED = f"〔{len(REASON)}字，已加密〕"


@pytest.fixture
def client(runtime: Runtime, clock: SimulatedClock) -> Iterator[TestClient]:
    scenario = Scenario(runtime, clock)
    a = scenario.household()
    b = {**scenario.household(), "account": dict(a["account"])}
    for ref, household in (("450321-2022-0001", a), ("450321-2022-0002", b)):
        for command in scenario.commands(scenario.plan(ref, household=household,
                                                       stop_after="applied")):
            scenario.run(command)
    with api_client(runtime) as client:
        catch_up(client)
        yield client


def shared_account(client: TestClient, who: str) -> dict[str, Any]:
    answer = body(client.get("/api/findings", headers=token(client.app.state.runtime, who)))
    return next(f for f in answer["findings"] if f["rule"] == "shared_account")


def decided(client: TestClient) -> dict[str, Any]:
    finding = shared_account(client, "dj-4503")
    headers = token(client.app.state.runtime, "dj-4503")
    response = client.post(f"/api/findings/{finding['finding_id']}/decisions", headers=headers,
                           json={"decision": "dismissed", "reason": REASON})
    assert response.status_code == 200, response.text
    catch_up(client)
    return finding


def test_the_reason_is_sealed_in_the_log_and_masked_in_the_read_models(
    client: TestClient, runtime: Runtime
) -> None:
    finding = decided(client)
    review = runtime.app.repository.get(review_id(finding["finding_id"]))
    assert isinstance(review, FindingReview)
    [opened] = runtime.app.events.get(review.id)
    assert isinstance(opened.reason, ProtectedValue)
    assert opened.reason.masked == MASKED and REASON not in opened.model_dump_json()
    listed = shared_account(client, "dj-4503")
    assert listed["status"] == "dismissed" and listed["review"]["reason"] == MASKED


def test_a_reviewer_of_the_county_reads_the_words_a_manager_the_mask(
    client: TestClient, runtime: Runtime
) -> None:
    finding = decided(client)
    path = f"/api/findings/{finding['finding_id']}"
    as_inspector = body(client.get(path, headers=token(runtime, "dj-4503")))
    assert as_inspector["review"]["reason"] == REASON
    as_manager = body(client.get(path, headers=token(runtime, "pm-4503")))
    assert as_manager["review"]["reason"] == MASKED


def test_destroying_the_findings_key_erases_the_reason(
    client: TestClient, runtime: Runtime
) -> None:
    finding = decided(client)
    [opened] = runtime.app.events.get(review_id(finding["finding_id"]))
    runtime.keystore.destroy(opened.reason.sealed.key_id, "reviewed record erased")
    path = f"/api/findings/{finding['finding_id']}"
    assert body(client.get(path, headers=token(runtime, "dj-4503")))["review"]["reason"] \
        == "〔已删除〕"
