"""A small conversation-sticky load balancer for the REST channel of N Rasa replicas.

    python -m ops.balancer --port 5000 --upstream http://127.0.0.1:5005 --upstream http://127.0.0.1:5006

``POST /webhooks/rest/webhook`` goes to a replica chosen by rendezvous hashing of the JSON
``sender``: every message of one conversation reaches the same replica (Rasa OSS's Redis lock store
does not make two replicas safe for concurrent messages of one conversation), and when that replica
refuses connections the message goes to the next one in the sender's own fixed order, so a dead
replica's users carry on elsewhere while everyone else stays put. Only a refused connection is
retried (nothing was delivered); a replica that dies mid-request gives 502. The reply carries
``X-Career-Coach-Upstream``. A reference and a test tool: real clusters use nginx or an ingress
(deploy/). socket.io is not proxied here: see deploy/README.md.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import time
from contextlib import contextmanager
from typing import Dict, Iterator, List, Sequence

from aiohttp import ClientConnectorError, ClientSession, ClientTimeout, web

REST_PATH = "/webhooks/rest/webhook"
UPSTREAM_HEADER = "X-Career-Coach-Upstream"
QUARANTINE_S = 2.0  # a replica that refused a connection is tried last for this long


def ranked(key: str, upstreams: Sequence[str]) -> List[str]:
    """The upstreams in ``key``'s own stable order (highest rendezvous score first)."""
    def score(upstream: str) -> bytes:
        return hashlib.sha256(f"{upstream}\n{key}".encode()).digest()
    return sorted(upstreams, key=score, reverse=True)


def conversation_key(body: bytes) -> str:
    """The REST channel's conversation id: the JSON ``sender`` (Rasa's default is "default")."""
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        return ""
    sender = payload.get("sender") if isinstance(payload, dict) else None
    return "default" if sender is None else str(sender)


class Balancer:
    """Forwards REST messages to the replica their conversation belongs to."""

    def __init__(self, upstreams: Sequence[str], timeout_s: float = 60.0) -> None:
        if not upstreams:
            raise ValueError("at least one upstream is needed")
        self.upstreams = [u.rstrip("/") for u in upstreams]
        self.timeout = ClientTimeout(total=timeout_s, connect=2)
        self.refused_at: Dict[str, float] = {}
        self.session: ClientSession | None = None

    def order(self, key: str) -> List[str]:
        now = time.monotonic()
        choices = ranked(key, self.upstreams)
        # Stable sort: replicas that just refused go last, otherwise the sender's own order.
        return sorted(choices, key=lambda u: now - self.refused_at.get(u, -1e9) < QUARANTINE_S)

    async def forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        assert self.session is not None
        for upstream in self.order(conversation_key(body)):
            try:
                async with self.session.post(f"{upstream}{REST_PATH}", data=body, params=request.query,
                                             headers={"Content-Type": request.content_type}) as reply:
                    content = await reply.read()
                    self.refused_at.pop(upstream, None)
                    return web.Response(body=content, status=reply.status,
                                        headers={"Content-Type": reply.headers.get("Content-Type", "application/json"),
                                                 UPSTREAM_HEADER: upstream})
            except ClientConnectorError:
                self.refused_at[upstream] = time.monotonic()
            except Exception as error:  # the replica died or stalled mid-request: the client decides
                return web.json_response({"error": f"upstream failed: {type(error).__name__}"}, status=502,
                                         headers={UPSTREAM_HEADER: upstream})
        return web.json_response({"error": "no replica is reachable"}, status=503)

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"balancer": "career-coach", "upstreams": self.upstreams})

    async def _open(self, app: web.Application) -> None:
        self.session = ClientSession(timeout=self.timeout)

    async def _close(self, app: web.Application) -> None:
        if self.session is not None:
            await self.session.close()

    def app(self) -> web.Application:
        application = web.Application(client_max_size=1024 * 1024)
        application.router.add_post(REST_PATH, self.forward)
        application.router.add_get("/", self.health)
        application.on_startup.append(self._open)
        application.on_cleanup.append(self._close)
        return application


def command(port: int, upstreams: Sequence[str], host: str = "127.0.0.1") -> List[str]:
    import sys

    return [sys.executable, "-m", "ops.balancer", "--host", host, "--port", str(port),
            *[arg for upstream in upstreams for arg in ("--upstream", upstream)]]


@contextmanager
def running(settings, port: int, upstreams: Sequence[str]) -> Iterator[str]:
    """The balancer as a child process (logs in ``settings.log_dir``); yields its URL."""
    from ops.servers import start, stop, wait_until_up

    process = start(command(port, upstreams), settings, "balancer")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/", process, 30, "the balancer")
        yield url
    finally:
        stop(process)


def main(argv: List[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--upstream", action="append", required=True, help="a Rasa replica's base URL")
    args = parser.parse_args(argv)
    web.run_app(Balancer(args.upstream).app(), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
