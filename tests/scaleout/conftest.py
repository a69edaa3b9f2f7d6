"""Scale-out tests run on PostgreSQL only (TEST_DATABASE_URL; skipped without it unless CI=true)."""

from __future__ import annotations

import pytest

from tests.conftest import _pg_or_skip, reset_pg


@pytest.fixture
async def pg_url() -> str:
    url = _pg_or_skip()
    await reset_pg(url)
    return url
