"""Session fixtures: the knowledge base (built once into a temporary SQLite file; CAREER_COACH_DB_URL
points at it), the trained model loaded in-process and the training data as Rasa reads it (each
once), and the one stack every test that talks to the bot as a user shares.

The shared stack is what `make run` starts, with every channel on: the action server, the Rasa
server (REST, socket.io for the demo page's origin, Slack posting to a fake Slack) and the demo
page. Each test talks to it under sender ids of its own. The tests of the HTTP API and of an action
server that is down or hung share a lone Rasa server (tests/support/stack.py: lone_rasa). Tests
that need servers of their own (a restart, another tracker store, `make shell`, a cluster, a broken
start) start them. The whole suite runs on two pytest-xdist workers; each session server starts on
one of them only (tests/support/parallel.py).
"""
from __future__ import annotations

import dataclasses
import os
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, Optional

import pytest

from ops.servers import stack
from settings import CORS, DB_URL, ROOT, SOCKET_URL, Settings, process_settings
from tests.support import parallel
from tests.support.services import environment
from tests.support.slack import FakeSlack, fake_slack, slack_environment
from tests.support.stack import Conversation, LoneRasa, lone_rasa, private_stack_settings
from tests.support.validate import project_importer

if TYPE_CHECKING:
    from rasa.shared.importers.importer import TrainingDataImporter

MODEL = Settings().model
SPEEDUPS_ON, SPEEDUPS_OFF = "speedups on", "speedups off"


@pytest.fixture(scope="session", autouse=True)
def knowledge_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a freshly built KB, exported as CAREER_COACH_DB_URL for the whole session (this
    process's settings are read again from it; the servers the tests start inherit it)."""
    from knowledge.build import build

    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.db'}"
    previous = os.environ.get(DB_URL)
    os.environ[DB_URL] = url
    process_settings.cache_clear()
    build(db_url=url)
    yield url
    if previous is None:
        os.environ.pop(DB_URL, None)
    else:
        os.environ[DB_URL] = previous
    process_settings.cache_clear()


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model `make test` trained; tests that need it fail with the command to run."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train`")
    return MODEL


@pytest.fixture(scope="session")
def agent(trained_model: Path, knowledge_db: str):
    """The trained model loaded in-process (once per session), for NLU measurements."""
    from rasa.core.agent import Agent

    return Agent.load(str(trained_model))


@pytest.fixture(scope="session")
def project_data() -> TrainingDataImporter:
    """The project's config, domain and training data as Rasa's importer reads them, read once."""
    return project_importer(ROOT)


@pytest.fixture(scope="session")
def slack_api() -> Iterator[FakeSlack]:
    """The fake Slack Web API the shared stack posts to."""
    with fake_slack() as fake:
        yield fake


@pytest.fixture(scope="session")
def bot_settings(trained_model: Path, knowledge_db: str, slack_api: FakeSlack,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The shared stack, on free ports: socket.io allows exactly the demo page's origin (the page
    finds Rasa on its own host); Slack is on. The variables are set only while the servers start."""
    with ExitStack() as servers:
        with environment(slack_environment(slack_api)):
            settings = private_stack_settings(tmp_path_factory.mktemp("stack"))
            origin = f"http://127.0.0.1:{settings.web_port}"
            with environment({CORS: origin, SOCKET_URL: ""}):
                running = servers.enter_context(stack(dataclasses.replace(settings, cors=origin, socket_url="")))
        yield running


@pytest.fixture(scope="session")
def bot_stack(bot_settings: Settings) -> str:
    """The shared stack's Rasa URL."""
    return bot_settings.rasa_url


@pytest.fixture(scope="session")
def slack(bot_settings: Settings, slack_api: FakeSlack) -> Dict[str, Any]:
    """The shared stack's Slack webhook and the fake Slack its replies go to."""
    return {"rasa": bot_settings.rasa_url, "webhook": f"{bot_settings.rasa_url}/webhooks/slack/webhook",
            "fake": slack_api}


@pytest.fixture(scope="session")
def lone_rasa_server(trained_model: Path, knowledge_db: str, tmp_path_factory: pytest.TempPathFactory
                     ) -> Iterator[LoneRasa]:
    """A Rasa server whose action server the tests start and stop, with the HTTP API on."""
    with lone_rasa(tmp_path_factory.mktemp("lone-rasa")) as server:
        yield server


@pytest.fixture(scope="session")
def rasa_s_own_stack(trained_model: Path, knowledge_db: str, tmp_path_factory: pytest.TempPathFactory
                     ) -> Iterator[str]:
    """A second stack with the speed-ups off (CAREER_COACH_SPEEDUPS=off: Rasa's own code in the
    policy, the tracker and everywhere bot/speedups patches); yields its Rasa URL."""
    settings = private_stack_settings(tmp_path_factory.mktemp("rasa-s-own"), web_port=0, speedups=False)
    with stack(settings) as running:
        yield running.rasa_url


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``speedups_on_and_off`` run with the speed-ups on, then against Rasa's own code."""
    if metafunc.definition.get_closest_marker("speedups_on_and_off") and "speedups" in metafunc.fixturenames:
        metafunc.parametrize("speedups", [SPEEDUPS_ON, SPEEDUPS_OFF], indirect=True)


@pytest.fixture
def speedups(request: pytest.FixtureRequest) -> bool:
    return getattr(request, "param", SPEEDUPS_ON) == SPEEDUPS_ON


def stack_fixture(speedups: bool) -> str:
    """The session fixture whose stack a ``conversation`` talks to."""
    return "bot_stack" if speedups else "rasa_s_own_stack"


@pytest.fixture
def conversation(request: pytest.FixtureRequest, speedups: bool) -> Conversation:
    """A new user talking to the running bot (to Rasa's own code, in the marked tests' second run)."""
    return Conversation(request.getfixturevalue(stack_fixture(speedups)))


def conversation_stack(item: pytest.Item) -> Optional[str]:
    """The stack fixture ``item``'s ``conversation`` asks for when it runs (none without one)."""
    if "conversation" not in item.fixturenames:
        return None
    params = getattr(item, "callspec", None)
    return stack_fixture((params.params if params else {}).get("speedups", SPEEDUPS_ON) == SPEEDUPS_ON)


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    if getattr(config.option, "loadgroup", False):  # an xdist worker of `--dist loadgroup`
        parallel.group_items(items, conversation_stack)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> Optional[int]:
    return parallel.workers(config)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    return parallel.scheduler(config, log) if config.getvalue("dist") == "loadgroup" else None
