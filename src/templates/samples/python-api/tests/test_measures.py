"""GIVEN the migrated database WHEN the measures endpoints are called THEN they read it
through the pool (and Redis) and validate their input."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from service import defaults


def test_lists_the_measures_loaded_by_the_migration(client: TestClient) -> None:
    response = client.get("/api/v1/measures")

    assert response.status_code == 200
    items = {m["code"]: m for m in response.json()["items"]}
    assert len(items) >= 10
    assert items["CBP"] == {
        "code": "CBP",
        "name": "Controlling High Blood Pressure",
        "domain": "Managing Chronic Conditions",
        "weight": 3.0,
    }


def test_reads_one_measure_from_the_database_then_from_redis(client: TestClient) -> None:
    cache_key = f"{defaults.SERVICE_NAME}:measure:BCS"
    client.portal.call(client.app.state.cache.delete, cache_key)

    first = client.get("/api/v1/measures/BCS")
    second = client.get("/api/v1/measures/BCS")

    assert first.status_code == 200
    assert first.headers["x-cache"] == "miss"
    assert second.headers["x-cache"] == "hit"
    assert second.json() == first.json()
    assert first.json()["name"] == "Breast Cancer Screening"


def test_fails_when_the_measure_does_not_exist(client: TestClient) -> None:
    response = client.get("/api/v1/measures/ZZZZ")

    assert response.status_code == 404
    assert response.json() == {"detail": "measure ZZZZ not found"}


def test_fails_when_the_measure_code_is_malformed(client: TestClient) -> None:
    assert client.get("/api/v1/measures/bcs-1").status_code == 422


def test_rates_a_contract_and_ranks_improvement_opportunities(client: TestClient) -> None:
    response = client.post(
        "/api/v1/star-ratings",
        json={
            "contract_id": "H1234",
            "measures": [{"code": "BCS", "stars": 4}, {"code": "CBP", "stars": 3}, {"code": "PCR", "stars": 5}],
        },
    )

    assert response.status_code == 200, response.text
    # (1*4 + 3*3 + 3*5) / (1 + 3 + 3) = 4.0
    assert response.json() == {
        "contract_id": "H1234",
        "overall_stars": 4.0,
        "weighted_average": 4.0,
        "measures_rated": 3,
        "opportunities": [
            {"code": "CBP", "stars": 3, "weight": 3.0, "potential_gain": 0.857},
            {"code": "BCS", "stars": 4, "weight": 1.0, "potential_gain": 0.143},
        ],
    }


def test_rounds_the_overall_rating_to_the_nearest_half_star(client: TestClient) -> None:
    response = client.post(
        "/api/v1/star-ratings",
        json={"contract_id": "R0001", "measures": [{"code": "BCS", "stars": 3}, {"code": "COL", "stars": 4}]},
    )

    assert response.json()["weighted_average"] == 3.5
    assert response.json()["overall_stars"] == 3.5


@pytest.mark.parametrize(
    ("body", "expected_location"),
    [
        ({"contract_id": "H1234", "measures": [{"code": "BCS", "stars": 6}]}, ["body", "measures", 0, "stars"]),
        ({"contract_id": "H1234", "measures": [{"code": "BCS", "stars": 0}]}, ["body", "measures", 0, "stars"]),
        ({"contract_id": "1234", "measures": [{"code": "BCS", "stars": 3}]}, ["body", "contract_id"]),
        ({"contract_id": "H1234", "measures": []}, ["body", "measures"]),
        ({"contract_id": "H1234", "measures": [{"code": "bcs", "stars": 3}]}, ["body", "measures", 0, "code"]),
        (
            {"contract_id": "H1234", "measures": [{"code": "BCS", "stars": 3, "member_id": "x"}]},
            ["body", "measures", 0, "member_id"],
        ),
        ({"measures": [{"code": "BCS", "stars": 3}]}, ["body", "contract_id"]),
    ],
)
def test_fails_when_the_rating_request_is_invalid(
    client: TestClient, body: dict[str, Any], expected_location: list[Any]
) -> None:
    response = client.post("/api/v1/star-ratings", json=body)

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [expected_location]


def test_fails_when_a_measure_is_repeated(client: TestClient) -> None:
    response = client.post(
        "/api/v1/star-ratings",
        json={"contract_id": "H1234", "measures": [{"code": "BCS", "stars": 3}, {"code": "BCS", "stars": 4}]},
    )

    assert response.status_code == 422
    assert "repeated: BCS" in response.json()["detail"][0]["msg"]


def test_fails_when_a_measure_code_is_unknown(client: TestClient) -> None:
    response = client.post(
        "/api/v1/star-ratings",
        json={"contract_id": "H1234", "measures": [{"code": "BCS", "stars": 3}, {"code": "ZZZ", "stars": 4}]},
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "unknown measure codes: ZZZ"


def test_fails_when_the_body_is_not_json(client: TestClient) -> None:
    response = client.post("/api/v1/star-ratings", content=b"contract_id=H1234", headers={"content-type": "text/plain"})

    assert response.status_code == 422
