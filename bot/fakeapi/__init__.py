"""Fake Telegram Bot API server for the demo, the test-suite and benchmarks.

The real aiogram ``Bot`` talks to it over loopback::

    api = FakeBotAPI()                       # FakeBotAPI(enforce_limits=True) for Telegram's rate limits
    url = await api.start()                  # http://127.0.0.1:PORT
    bot = Bot("123456:TEST", session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
    uid = api.user_message(42, "/start")     # push an Update (ids shared with bot-sent messages)
    await api.wait_confirmed(uid)            # the bot fetched past it (= processed, handle_as_tasks=False)
    api.last_message(42)["text"]             # current state of the bot's last message in chat 42
    api.press(42, api.last_message(42), "OK")  # press an inline button by (part of) its label
    assert not api.violations                # every call is validated against api.min.json
    api.set_strict(); api.block(42); api.add_bot_to_group(-100123, 42, "舆情群")  # chats.py: Telegram's rules
    api.group_message(-100123, 42, "/bind")  # privacy mode: commands, replies to the bot, service messages
    await api.stop()

Standalone: ``python -m bot.fakeapi --port 8081`` (control endpoints under ``/_fake/``).
The spec file ``api.min.json`` is MIT-licensed (see LICENSE beside it).
"""

from .records import CallRecord, UploadedFile, Violation, WebhookDelivery
from .server import FakeBotAPI
from .spec import RateLimits

__all__ = ["FakeBotAPI", "CallRecord", "UploadedFile", "Violation", "WebhookDelivery", "RateLimits"]
