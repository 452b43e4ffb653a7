"""Access and secrets: Rasa's HTTP API only with a token, servers on loopback, socket.io origins,
no secrets in the repository or the logs."""
from __future__ import annotations

import ipaddress
import re
import socket
import subprocess
from pathlib import Path
from typing import Dict, List, Optional

import pytest
import requests
import websockets
import websockets.exceptions  # a submodule: not loaded by "import websockets" alone

from ops.credentials import SOCKETIO_CHANNEL, channel_credentials
from settings import ROOT, Settings
from tests.support.socketio_client import SocketIOUser
from tests.support.stack import LONE_API_TOKEN, LONE_ORIGIN, LoneRasa

ALLOWED_ORIGIN = LONE_ORIGIN
FOREIGN_ORIGIN = "http://evil.example"
API_TOKEN = LONE_API_TOKEN


@pytest.fixture(scope="module")
def api_stack(lone_rasa_server: LoneRasa) -> Dict:
    """A Rasa server with the HTTP API on (CAREER_COACH_API_TOKEN) and one allowed web origin."""
    settings = lone_rasa_server.settings
    return {"url": settings.rasa_url, "pid": lone_rasa_server.pid, "state": settings.state_dir}


# --- Rasa's HTTP API ---------------------------------------------------------------------------

@pytest.mark.stack
def test_http_api_is_off_by_default(bot_stack: str) -> None:
    assert requests.get(f"{bot_stack}/conversations/someone/tracker", timeout=10).status_code in (404, 405)
    assert requests.post(f"{bot_stack}/model/parse", json={"text": "hi"}, timeout=10).status_code in (404, 405)


@pytest.mark.stack
def test_http_api_needs_the_token(api_stack: Dict) -> None:
    tracker = f"{api_stack['url']}/conversations/someone/tracker"
    assert requests.get(tracker, timeout=10).status_code in (401, 403)
    assert requests.get(tracker, params={"token": "wrong"}, timeout=10).status_code in (401, 403)
    allowed = requests.get(tracker, params={"token": API_TOKEN}, timeout=30)
    assert allowed.status_code == 200 and allowed.json()["sender_id"] == "someone"


@pytest.mark.stack
def test_api_token_is_not_in_the_command_line_logs_or_files(api_stack: Dict) -> None:
    requests.get(f"{api_stack['url']}/conversations/someone/tracker", params={"token": API_TOKEN}, timeout=30)
    cmdline = Path(f"/proc/{api_stack['pid']}/cmdline")
    if cmdline.exists():
        assert API_TOKEN not in cmdline.read_bytes().decode(errors="replace")
    for path in api_stack["state"].rglob("*"):
        if path.is_file():
            assert API_TOKEN not in path.read_bytes().decode(errors="replace"), path


# --- socket.io origins -------------------------------------------------------------------------

def test_default_origins_are_the_demo_page(monkeypatch) -> None:
    monkeypatch.delenv("CAREER_COACH_CORS", raising=False)
    monkeypatch.delenv("CAREER_COACH_WEB_PORT", raising=False)
    settings = Settings()
    credentials = channel_credentials(settings)
    assert credentials[SOCKETIO_CHANNEL]["cors_allowed_origins"] == ["http://localhost:8000",
                                                                     "http://127.0.0.1:8000"]


def polling_handshake(url: str, origin: Optional[str]) -> requests.Response:
    headers = {"Origin": origin} if origin else {}
    return requests.get(f"{url}/socket.io/", params={"EIO": "4", "transport": "polling"}, headers=headers,
                        timeout=10)


@pytest.mark.stack
def test_socketio_refuses_a_foreign_origin(api_stack: Dict) -> None:
    refused = polling_handshake(api_stack["url"], FOREIGN_ORIGIN)
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in {name.lower() for name in refused.headers}


@pytest.mark.stack
def test_socketio_accepts_the_allowed_origin(api_stack: Dict) -> None:
    accepted = polling_handshake(api_stack["url"], ALLOWED_ORIGIN)
    assert accepted.status_code == 200 and '"sid"' in accepted.text
    assert accepted.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    with SocketIOUser(api_stack["url"], origin=ALLOWED_ORIGIN) as visitor:
        assert visitor.say("")  # answered (the empty-message reply needs no action server)


@pytest.mark.stack
async def test_socketio_websocket_refuses_a_foreign_origin(api_stack: Dict) -> None:
    url = api_stack["url"].replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    with pytest.raises(websockets.exceptions.InvalidStatusCode) as refused:
        async with websockets.connect(url, origin=FOREIGN_ORIGIN, open_timeout=10):
            pass
    assert refused.value.status_code == 400
    async with websockets.connect(url, origin=ALLOWED_ORIGIN, open_timeout=10) as accepted:
        assert (await accepted.recv()).startswith("0{")  # engine.io "open" packet


# --- servers only on loopback ------------------------------------------------------------------

def non_loopback_address() -> Optional[str]:
    """An IPv4 address of this machine other than loopback, if it has one."""
    found = set()
    try:
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # no packet is sent; picks the outgoing interface
            found.add(probe.getsockname()[0])
    except OSError:
        pass
    usable = [a for a in found
              if not ipaddress.ip_address(a).is_loopback and not ipaddress.ip_address(a).is_unspecified]
    return sorted(usable)[0] if usable else None


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


@pytest.mark.stack
def test_servers_are_not_reachable_from_other_machines(bot_settings: Settings) -> None:
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    for what, port in (("action server", bot_settings.action_port), ("Rasa server", bot_settings.rasa_port),
                       ("demo page", bot_settings.web_port)):
        assert reachable("127.0.0.1", port), what
        assert not reachable(address, port), f"the {what} answers on {address}"


# --- secrets -----------------------------------------------------------------------------------

SECRET_PATTERNS = {
    "Slack token": re.compile(r"\bxox[abposr]-\d+-[0-9A-Za-z-]{8,}"),
    "Slack app token": re.compile(r"\bxapp-\d-[0-9A-Za-z-]{10,}"),
    "AWS access key": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret key": re.compile(r"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+=]{40}", re.I),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "password": re.compile(r"\bpass(word|wd)?\w*\s*[=:]\s*(['\"])(?!\$\{|\*{3}|<|…)[^'\"\s]{4,}\2", re.I),
    "password in a URL": re.compile(r"\b[a-z+]+://[^/\s:@'\"]+:(?!\$\{|\*{3}|<)[^/\s@'\"{}]{3,}@"),
}
# In configuration files a password may also be unquoted ("password: hunter2").
CONFIG_PASSWORD = re.compile(r"^\s*[\w.-]*pass(word|wd)?\s*[=:]\s*(?!['\"]|\$\{|\*{3}|<|…)\S{4,}", re.I)
CONFIG_FILES = {".yml", ".yaml", ".env", ".ini", ".cfg", ".toml", ".conf", ".properties"}
PLACEHOLDERS = re.compile(r"example|placeholder|changeme|dummy|fake|s3cret|your[-_]|xxx|\{", re.I)


def repository_files() -> List[Path]:
    """Files git tracks, plus new ones it does not ignore."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    return [ROOT / name for name in listed if name and (ROOT / name).is_file()]


def test_no_secrets_in_the_repository() -> None:
    found = []
    for path in repository_files():
        if path == Path(__file__):
            continue
        text = path.read_bytes().decode(errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            patterns = dict(SECRET_PATTERNS)
            if path.suffix in CONFIG_FILES or path.name.startswith(".env"):
                patterns["password (configuration)"] = CONFIG_PASSWORD
            for kind, pattern in patterns.items():
                match = pattern.search(line)
                if match and not PLACEHOLDERS.search(match.group(0)):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {kind}: {match.group(0)[:40]}")
    assert not found, "secrets in the repository:\n" + "\n".join(found)


def test_the_secret_patterns_find_secrets() -> None:
    fake = {"xoxb-" + "1234567890-0987654321-AbCdEfGhIjKlMnOp": "Slack token",
            "AKIA" + "ABCDEFGHIJKLMNOP": "AWS access key", "-----BEGIN RSA " + "PRIVATE KEY-----": "private key",
            'password = "' + 'n0t-a-placeh0lder"': "password",
            "postgresql://coach:" + "s3cr3t@db/x": "password in a URL"}
    for text, kind in fake.items():
        assert SECRET_PATTERNS[kind].search(text), kind
    assert CONFIG_PASSWORD.search("  password: " + "hunter2")
    for harmless in ("xoxb-…", "password: ${CAREER_COACH_TRACKER_PASSWORD}", "postgresql://nobody@127.0.0.1:1/x",
                     "store['password'] = env[TRACKER_PASSWORD]"):
        assert not any(p.search(harmless) for p in SECRET_PATTERNS.values()), harmless
