"""Dialog states, next to the handlers that use them."""

from aiogram.fsm.state import State, StatesGroup


class ReportStates(StatesGroup):
    filling = State()     # answering the draft's current question
    review = State()      # summary card shown: confirm / edit / cancel
    conflict = State()    # a second /report while a draft exists: resume or discard
