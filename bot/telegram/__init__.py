"""The Telegram adapter: everything that knows aiogram or the Bot API below the handlers (rendering neutral
cards into Bot API parameters: bot/telegram/render.py)."""
