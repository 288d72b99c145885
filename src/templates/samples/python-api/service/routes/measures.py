"""HEDIS measures and the Star Rating calculation of the portfolio optimizer."""

from __future__ import annotations

import json
import logging
import math
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import db, defaults
from ..auth import READ, WRITE

logger = logging.getLogger("service.measures")
router = APIRouter(prefix="/api/v1")

MEASURE_CODE = r"^[A-Z]{2,5}$"
CACHE_TTL_SECONDS = 300


class Measure(BaseModel):
    code: str
    name: str
    domain: str
    weight: float


class MeasureList(BaseModel):
    items: list[Measure]


class MeasureStars(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=MEASURE_CODE, description="HEDIS measure code, e.g. BCS")
    stars: int = Field(ge=1, le=5, description="Star rating the contract earned on the measure")


class StarRatingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contract_id: str = Field(pattern=r"^[HRSE][0-9]{4}$", description="CMS contract number, e.g. H1234")
    measures: list[MeasureStars] = Field(min_length=1, max_length=100)

    @field_validator("measures")
    @classmethod
    def codes_are_unique(cls, measures: list[MeasureStars]) -> list[MeasureStars]:
        codes = [m.code for m in measures]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"each measure may appear once; repeated: {', '.join(duplicates)}")
        return measures


class Opportunity(BaseModel):
    code: str
    stars: int
    weight: float
    potential_gain: float = Field(description="Rise of the weighted average if this measure reached 5 stars")


class StarRatingResult(BaseModel):
    contract_id: str
    overall_stars: float = Field(description="Weighted average rounded to the nearest half star")
    weighted_average: float
    measures_rated: int
    opportunities: list[Opportunity]


def _database(request: Request) -> db.Database:
    database = request.app.state.db
    if database is None:
        raise HTTPException(status_code=503, detail="the database is not configured (DB_HOST is unset)")
    return database


@router.get("/measures", response_model=MeasureList, dependencies=[READ])
async def list_measures(request: Request) -> Response:
    rows = await _database(request).fetch("SELECT code, name, domain, weight FROM measures ORDER BY code")
    # Validated and serialized once, by pydantic's core, straight to JSON: returning a dict
    # would make FastAPI convert, validate, serialize and encode it again (about 10% of the
    # endpoint's CPU time). `response_model` above still documents the shape.
    body = MeasureList(items=[Measure(**row) for row in rows])
    return Response(body.model_dump_json(), media_type="application/json")


@router.get("/measures/{code}", response_model=Measure, dependencies=[READ])
async def get_measure(
    request: Request, response: Response, code: Annotated[str, Path(pattern=MEASURE_CODE)]
) -> dict[str, Any]:
    cache = request.app.state.cache
    key = f"{defaults.SERVICE_NAME}:measure:{code}"
    if cache is not None:
        try:
            cached = await cache.get(key)
        except Exception as error:  # noqa: BLE001 - the cache is an optimisation: serve from the database
            logger.warning("cache read failed", extra={"error": type(error).__name__})
            cached = None
        if cached is not None:
            response.headers["x-cache"] = "hit"
            return json.loads(cached)

    rows = await _database(request).fetch("SELECT code, name, domain, weight FROM measures WHERE code = $1", code)
    if not rows:
        raise HTTPException(status_code=404, detail=f"measure {code} not found")
    measure = Measure.model_validate(dict(rows[0])).model_dump()
    if cache is not None:
        try:
            await cache.set(key, json.dumps(measure), ex=CACHE_TTL_SECONDS)
        except Exception as error:  # noqa: BLE001 - a failed cache write only costs a later miss
            logger.warning("cache write failed", extra={"error": type(error).__name__})
    response.headers["x-cache"] = "miss"
    return measure


@router.post("/star-ratings", response_model=StarRatingResult, dependencies=[WRITE])
async def rate_contract(request: Request, body: StarRatingRequest) -> dict[str, Any]:
    """Overall Star Rating of a contract from its measure-level stars, and the measures
    whose improvement would raise it most."""
    codes = [m.code for m in body.measures]
    rows = await _database(request).fetch("SELECT code, weight FROM measures WHERE code = ANY($1::text[])", codes)
    weights = {row["code"]: float(row["weight"]) for row in rows}

    unknown = [c for c in codes if c not in weights]
    if unknown:
        raise RequestValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ("body", "measures"),
                    "msg": f"unknown measure codes: {', '.join(unknown)}",
                    "input": unknown,
                }
            ]
        )

    total_weight = sum(weights.values())
    average = sum(weights[m.code] * m.stars for m in body.measures) / total_weight
    opportunities = sorted(
        (
            {
                "code": m.code,
                "stars": m.stars,
                "weight": weights[m.code],
                "potential_gain": round(weights[m.code] * (5 - m.stars) / total_weight, 3),
            }
            for m in body.measures
            if m.stars < 5
        ),
        key=lambda o: (-o["potential_gain"], o["code"]),
    )[:3]
    return {
        "contract_id": body.contract_id,
        # CMS rounds the overall rating to the nearest half star, halves rounding up.
        "overall_stars": math.floor(average * 2 + 0.5) / 2,
        "weighted_average": round(average, 3),
        "measures_rated": len(codes),
        "opportunities": opportunities,
    }
