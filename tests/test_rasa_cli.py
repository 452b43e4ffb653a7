"""Rasa's own checks, run in this process as its command line runs them: the training data validates
without warnings (`rasa data validate --fail-on-warnings`), and the test stories predict without
errors (`rasa test core --fail-on-prediction-errors`, on the model the session loaded once)."""
from __future__ import annotations

import asyncio
from pathlib import Path

from settings import ROOT
from tests.support.validate import validate


def test_training_data_validates_without_warnings(project_data) -> None:
    validate(project_data, fail_on_warnings=True)


def test_test_stories_predict_without_errors(agent, tmp_path: Path) -> None:
    from rasa.core.test import test as test_stories

    asyncio.run(test_stories(str(ROOT / "tests" / "test_stories.yml"), agent, out_directory=str(tmp_path),
                             fail_on_prediction_errors=True))
