"""The stock `rasa init` bot, for ``make bench ARGS=--vs-vanilla``: trained once, then served.

It is scaffolded and trained by ``rasa init --no-prompt`` with the pinned Rasa of .venv into
``~/.cache/career-coach/vanilla-<Rasa version>/`` (``$XDG_CACHE_HOME`` if set), outside the
repository; another Rasa version trains its own. It is served exactly as generated: the REST channel,
its default in-memory tracker and lock stores, no action server.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any, Dict, Iterator

from bench.load import Bot, wait_for_first_answer
from bench.procs import children_cpu_s, load_average
from ops.servers import BIN, child_environment, free_port, start, stop
from settings import Settings

META = "bench.json"  # what training measured, next to the project


def project_dir() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "career-coach" / f"vanilla-{version('rasa')}"


def prepare() -> Dict[str, Any]:
    """The trained stock project (scaffolded and trained now unless cached); returns its meta."""
    folder = project_dir()
    if (folder / META).exists() and any((folder / "models").glob("*.tar.gz")):
        return json.loads((folder / META).read_text(encoding="utf-8"))
    partial = folder.with_name(f"{folder.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    print(f"training the stock `rasa init` bot into {folder} (once) ...", flush=True)
    began, cpu = time.monotonic(), children_cpu_s()
    subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(partial)], cwd=partial,
                   env=child_environment(Settings()), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)
    if not any((partial / "models").glob("*.tar.gz")):
        raise RuntimeError(f"`rasa init --no-prompt` trained no model in {partial}")
    meta = {"rasa": version("rasa"), "train_s": time.monotonic() - began, "train_cpu_s": children_cpu_s() - cpu,
            "trained": time.strftime("%Y-%m-%dT%H:%M:%S"), "load_average": load_average()}
    (partial / META).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)  # a half-made project without its meta
    partial.rename(folder)
    return meta


@contextmanager
def serve(settings: Settings) -> Iterator[Bot]:
    """The stock bot's `rasa run` on a free port (logs in ``settings.log_dir``), answering."""
    folder = project_dir()
    port = free_port()
    command = [str(BIN / "rasa"), "run", "--model", str(folder / "models"),
               "--endpoints", str(folder / "endpoints.yml"), "--credentials", str(folder / "credentials.yml"),
               "--interface", "127.0.0.1", "--port", str(port)]
    began = time.monotonic()
    process = start(command, settings, "vanilla")
    try:
        bot = Bot("vanilla", f"http://127.0.0.1:{port}", {"rasa": process}, always_answers=False)
        bot.ready_s = wait_for_first_answer(bot, began)
        yield bot
    finally:
        stop(process)
