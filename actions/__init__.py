"""The action server: one module per topic, each importing its actions so rasa_sdk finds them."""
from actions import (  # noqa: F401
    certifications,
    compare,
    conversation,
    education,
    ladder,
    landscape,
    money,
    overview,
    planner,
    profile,
    roles,
    skill_gap,
)
