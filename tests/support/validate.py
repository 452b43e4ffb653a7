"""What `rasa data validate` runs, in this process and over training data read once per session
(tests/conftest.py's ``project_data``): the suite has Rasa imported already (tests/test_rasa_cli.py,
the dashboard's export test). Training data is read with the speed-up `make train` and `make
validate` read it with (bot/speedups/training_data.py: 13 s instead of 2 s for each reading of
data/), installed only while reading and validating."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ContextManager

import pytest

if TYPE_CHECKING:  # Rasa is imported when first used: collecting the tests stays quick
    from rasa.shared.importers.importer import TrainingDataImporter


def project_importer(folder: Path) -> TrainingDataImporter:
    """Rasa's importer of ``folder``'s config.yml, domain.yml and data/, as `rasa data validate` builds
    it, with its data read (it keeps what it read)."""
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_config(config_path=str(folder / "config.yml"),
                                                     domain_path=str(folder / "domain.yml"),
                                                     training_data_paths=[str(folder / "data")])
    with reading():
        importer.get_nlu_data()
    return importer


def reading() -> ContextManager[None]:
    """Rasa's reading of training data with the speed-up of bot/speedups/training_data.py."""
    from bot import speedups
    from bot.speedups.training_data import SCHEMA_VALIDATORS

    return speedups.installed(SCHEMA_VALIDATORS)


def with_files(importer: TrainingDataImporter, *paths: Path) -> TrainingDataImporter:
    """``importer``'s project with the training data files ``paths`` added to its data."""
    from rasa.shared.importers.importer import CombinedDataImporter
    from rasa.shared.importers.rasa import RasaFileImporter

    return CombinedDataImporter([importer, RasaFileImporter(training_data_paths=[str(path) for path in paths])])


def validate(importer: TrainingDataImporter, fail_on_warnings: bool = False) -> None:
    """Rasa's validation, as `rasa data validate [--fail-on-warnings]`; the test fails where the
    command would exit non-zero."""
    from rasa.cli.utils import validate_files

    try:
        with reading():
            validate_files(fail_on_warnings, None, importer)
    except SystemExit as exit_:
        pytest.fail(f"`rasa data validate` would exit with {exit_.code} (Rasa's log above says why)")
