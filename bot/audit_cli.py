"""`onduty audit verify`: every hash chain of the timeline, checked; one line of output."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.audit import verify_all


async def verify_command(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, str]:
    """(0, summary) when every chain holds; (1, line naming the first broken row) otherwise."""
    async with sessions() as s, s.begin():
        res = await verify_all(s)
    if res.ok:
        return 0, f"audit: ok, {res.checked_rows} rows in {res.chains} chains, every chain holds"
    b = res.first_broken
    assert b is not None
    more = f"; {len(res.broken)} chains broken" if len(res.broken) > 1 else ""
    return 1, (f"audit: BROKEN at row id {b.id} (chain {b.chain}, seq {b.seq}); "
               f"{res.checked_rows} rows in {res.chains} chains checked{more}")


async def verify_url(database_url: str) -> tuple[int, str]:
    """verify_command on the database at `database_url` (migrated to head first, like the other commands)."""
    from bot.db import create_engine, session_factory
    from models.migrate import upgrade

    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        return await verify_command(session_factory(engine))
    finally:
        await engine.dispose()
