"""The action server: rasa_sdk finds the actions in the modules imported here."""
from actions import answer, feedback, planner, profile  # noqa: F401
