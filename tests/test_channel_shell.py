"""`make shell` as a user drives it: questions, buttons picked from choice lists, the planner, a comparison."""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pexpect

from actions.feedback import THANKS_COMMENT
from tests.support.figures import AVERAGE_SALARY
from tests.support.stack import private_stack_settings

ROOT = Path(__file__).resolve().parent.parent
PROMPT = "Your input ->"
# pexpect's terminal does not answer prompt_toolkit's cursor position request, which each prompt
# then waited a second for (a terminal emulator answers it at once)
TERMINAL = {"TERM": "xterm", "COLUMNS": "160", "PROMPT_TOOLKIT_NO_CPR": "1"}
DOWN = "\x1b[B"


def choose(shell: pexpect.spawn, position: int) -> None:
    """Pick the choice ``position`` places below the highlighted first one."""
    for _ in range(position):
        shell.send(DOWN)
    shell.send("\r")


def test_shell_answers_offers_buttons_and_quits(tmp_path, trained_model, knowledge_db) -> None:
    settings = private_stack_settings(tmp_path)
    env = dict(os.environ, CAREER_COACH_ACTION_PORT=str(settings.action_port),
               CAREER_COACH_PORT=str(settings.rasa_port),
               CAREER_COACH_STATE_DIR=str(settings.state_dir), **TERMINAL)
    shell = pexpect.spawn(sys.executable, ["-m", "ops.launcher", "--shell"], cwd=str(ROOT), env=env,
                          encoding="utf-8", timeout=180, dimensions=(50, 160))
    shell.logfile_read = open(tmp_path / "shell.log", "w")
    try:
        shell.expect_exact(PROMPT)
        shell.sendline("how much do engineering managers make?")
        shell.expect_exact(AVERAGE_SALARY, timeout=60)
        shell.expect_exact("Where do these figures come from?")  # buttons, as a choice list
        shell.expect_exact("Type out your own message")
        choose(shell, 1)  # the second button
        shell.expect_exact("payscale.com", timeout=60)
        shell.expect_exact(PROMPT)
        shell.sendline("/feedback not helpful: no range")  # typed: rates the last answer (README, Feedback)
        shell.expect_exact(THANKS_COMMENT, timeout=60)
        shell.expect_exact(PROMPT)
        # The planner: its questions come with choice lists; the years are typed.
        shell.sendline("help me plan my career")
        shell.expect_exact("What's your current role?", timeout=60)
        choose(shell, 0)  # the first choice: staff engineer
        shell.expect_exact("How many years of experience", timeout=60)
        shell.expect_exact(PROMPT)
        shell.sendline("3")
        shell.expect_exact("Which role are you aiming for?", timeout=60)
        choose(shell, 1)  # project engineer, then engineering manager
        shell.expect_exact("Your path", timeout=60)
        shell.expect_exact("Type out your own message")
        choose(shell, 3)  # past the plan's three suggestions: type a message
        shell.expect_exact(PROMPT)
        shell.sendline("EM vs director")
        shell.expect_exact("Mostly strategic", timeout=60)
        shell.expect_exact("Type out your own message")
        choose(shell, 3)
        shell.expect_exact(PROMPT)
        shell.sendline("/stop")
        shell.expect(pexpect.EOF, timeout=60)
    finally:
        if shell.isalive():  # the launcher stops its action server on SIGTERM
            shell.kill(signal.SIGTERM)
            shell.expect(pexpect.EOF, timeout=30)
        shell.close(force=True)
        shell.logfile_read.close()
