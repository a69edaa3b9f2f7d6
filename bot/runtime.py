"""`onduty run`: long polling, or the webhook behind aiohttp with a secret token."""

from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher
from aiogram.types import BotCommand
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.app import create_bot, create_dispatcher
from bot.config import ConfigError, Settings
from bot.db import create_engine, session_factory
from models.migrate import upgrade

log = logging.getLogger("onduty")

COMMANDS = {
    "zh": [("report", "报送舆情"), ("template", "报送模板"), ("my", "我的报送"), ("cancel", "放弃草稿"), ("help", "帮助")],
    "en": [("report", "File a report"), ("template", "Report template"), ("my", "My reports"),
           ("cancel", "Discard the draft"), ("help", "Help")],
}


async def _set_commands(bot: Bot) -> None:
    await bot.set_my_commands([BotCommand(command=c, description=d) for c, d in COMMANDS["zh"]])
    await bot.set_my_commands([BotCommand(command=c, description=d) for c, d in COMMANDS["en"]],
                              language_code="en")


async def prepare(settings: Settings) -> tuple[Bot, Dispatcher, object]:
    token = settings.require_token()
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    dp = create_dispatcher(session_factory(engine), settings)
    return create_bot(token, settings.telegram_api_url), dp, engine


async def run_polling(settings: Settings) -> None:
    bot, dp, engine = await prepare(settings)
    try:
        await bot.delete_webhook(drop_pending_updates=False)
        await _set_commands(bot)
        log.info("polling %s", settings.telegram_api_url)
        await dp.start_polling(bot, handle_signals=True, close_bot_session=True)
    finally:
        await engine.dispose()


def run_webhook(settings: Settings) -> None:
    if not settings.webhook_secret:
        raise ConfigError("WEBHOOK_SECRET is required for webhook mode (Telegram sends it back on every call)")
    if not settings.webhook_url:
        raise ConfigError("WEBHOOK_URL is required for webhook mode (the public https URL Telegram will call)")
    host, port = settings.webhook_host_port()

    async def make_app() -> web.Application:
        bot, dp, engine = await prepare(settings)

        async def on_startup(bot: Bot) -> None:
            await _set_commands(bot)
            await bot.set_webhook(settings.webhook_url.rstrip("/") + settings.webhook_path,
                                  secret_token=settings.webhook_secret)

        async def on_shutdown(bot: Bot) -> None:
            await engine.dispose()

        dp.startup.register(on_startup)
        dp.shutdown.register(on_shutdown)
        app = web.Application()
        SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=settings.webhook_secret).register(
            app, path=settings.webhook_path)
        setup_application(app, dp, bot=bot)
        return app

    web.run_app(make_app(), host=host, port=port)
