"""Telegram, the first channel: everything that knows aiogram or the Bot API besides the handlers.

channel.py     the delivery adapter (bot/channels/port.Channel): Bot API calls, errors classified
render.py      neutral cards (buttons, input requests) as reply_markup
replies.py     the handlers' durable replies (a request middleware on the aiogram session)
callbacks.py   the CallbackData classes the routers filter on (actions packed by bot/actions)
keyboards.py   the report dialog's inline keyboards; press_guard.py: a press must match its card's buttons
api_session.py, middlewares.py, update_metrics.py, fsm_storage.py, filters.py: the aiogram plumbing
polling.py, webhook.py: the durable poller and webhook (the inbox); link.py, webhook_watch.py: /healthz's view
username.py    getMe, for the personal links `onduty org links` prints
"""
