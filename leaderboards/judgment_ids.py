"""The judgment IDs that went into a fit: their runs of consecutive IDs and a SHA-256.

The IDs are stored as maximal runs of consecutive IDs, inclusive [first, last] pairs in
ascending order, so a million consecutive IDs take one pair. Each set of IDs has exactly one
such list, and the hash is the SHA-256 of it written as "first-last" pairs joined by commas
(the IDs 3, 4, 5, 9, 11 and 12 give "3-5,9-9,11-12"). Anyone holding the IDs or the stored
runs can check the hash. On PostgreSQL the runs and the hash are computed in the database,
in one sort of the IDs, so no ID list travels to Python.
"""

import bisect
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

ID_SET_SQL = """
WITH runs AS (
    SELECT min(id) AS first_id, max(id) AS last_id
    FROM (SELECT id, id - row_number() OVER (ORDER BY id) AS run FROM ({input_sql}) AS input)
        AS numbered
    GROUP BY run
)
SELECT
    coalesce(sum(last_id - first_id + 1), 0),
    encode(sha256(convert_to(
        coalesce(string_agg(first_id || '-' || last_id, ',' ORDER BY first_id), ''), 'UTF8'
    )), 'hex'),
    coalesce(jsonb_agg(jsonb_build_array(first_id, last_id) ORDER BY first_id), '[]'::jsonb)
FROM runs
"""


@dataclass(frozen=True)
class JudgmentIdSet:
    count: int
    sha256: str
    ranges: list[list[int]]


def judgment_id_set_from_ids(ids: Iterable[int]) -> JudgmentIdSet:
    """Build the set in Python; the database path below must give the same result."""
    ordered = sorted(set(ids))
    ranges: list[list[int]] = []
    for value in ordered:
        if ranges and ranges[-1][1] == value - 1:
            ranges[-1][1] = value
        else:
            ranges.append([value, value])
    return JudgmentIdSet(count=len(ordered), sha256=ranges_sha256(ranges), ranges=ranges)


def ranges_sha256(ranges: Sequence[Sequence[int]]) -> str:
    """Return the SHA-256 of the runs written as "first-last" pairs joined by commas."""
    text = ",".join(f"{first}-{last}" for first, last in ranges)
    return hashlib.sha256(text.encode()).hexdigest()


def judgment_id_set_of(queryset: QuerySet[Any]) -> JudgmentIdSet:
    """Return the ID set of a judgment queryset, computed in PostgreSQL where available."""
    if connection.vendor != "postgresql":
        return judgment_id_set_from_ids(queryset.values_list("id", flat=True))

    input_sql, params = queryset.values("id").order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(ID_SET_SQL.format(input_sql=input_sql), params)
        count, digest, ranges = cursor.fetchone()
    if isinstance(ranges, str):
        ranges = json.loads(ranges)
    return JudgmentIdSet(count=int(count), sha256=digest, ranges=ranges)


def ranges_contain(ranges: Sequence[Sequence[int]], judgment_id: int) -> bool:
    """Return whether an ID lies in one of the ascending, inclusive [first, last] ranges."""
    position = bisect.bisect_right(ranges, judgment_id, key=lambda pair: pair[0]) - 1
    return position >= 0 and ranges[position][1] >= judgment_id
