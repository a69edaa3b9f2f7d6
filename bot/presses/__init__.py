"""Button presses, whatever the messenger: the use-cases behind them.

A press is an action string (bot/actions/, `incV1:ack:12`), who pressed it and where (bot.presses.types.Press).
Each family's module parses its actions with bot/actions codecs, re-checks everything on the server through
the services, writes refusals to the timeline, and returns an `Outcome`: the short notice in the presser's
language, and what becomes of the pressed message. A channel's handlers only translate a press in and render
the outcome out (Telegram: handlers/*.py through bot/telegram/outcome.py); `dispatch.press` picks the family
by the action's prefix. This package knows no aiogram and no channel.
"""
