"""Actions: what a button carries back, and the buttons themselves — without any messenger.

An action is a versioned string (`incV1:ack:12`), packed byte for byte as the Telegram callback data already
sent, so every button out there keeps working whichever channel renders it (bot/actions/codec.py). Each
area's module holds its action kinds and its neutral button builders (bot.channels.types.Button rows);
services and schedules import them directly: this package knows no aiogram and no database.
"""
