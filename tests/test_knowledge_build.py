"""Build validation: broken copies of knowledge/data stop the build with one clear message."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Optional

import pytest
from sqlalchemy import create_engine, func, select

from knowledge import schema
from knowledge.build import build, main
from knowledge.db import REPO_ROOT
from knowledge.errors import KnowledgeError
from knowledge.loader import DATA_DIR, SECTIONS, load_all

ARTICLE = REPO_ROOT.parent / "shared" / "source" / "engineering-management-career-path.txt"


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of knowledge/data."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# name -> (file, text to replace, replacement or None to delete the file, parts of the message)
BREAKAGES: dict[str, tuple[str, str, Optional[str], tuple[str, ...]]] = {
    "malformed yaml": ("roles.yml", "- name: staff engineer", "- name: [staff engineer",
                       ("roles.yml", "malformed YAML", "line")),
    "missing field": ("figures.yml", "  unit: USD\n", "",
                      ("figures.yml", "'salary_low'", "missing required field 'unit'")),
    "wrong type": ("roles.yml", "  ladder: 1\n  section: Entry", "  ladder: first\n  section: Entry",
                   ("roles.yml", "'staff engineer'", "'ladder' must be an integer")),
    "duplicate alias": ("roles.yml", "aliases: [!cased PM,", "aliases: [EM, !cased PM,",
                        ("roles.yml", "'project manager'", "duplicate alias 'EM'", "'engineering manager'")),
    "duplicate name": ("roles.yml", "- name: principal engineer", "- name: staff engineer",
                       ("roles.yml", "'staff engineer'", "duplicate name")),
    "edge to unknown role": ("progression.yml", "to: principal engineer", "to: chief wizard",
                             ("progression.yml", "'project engineer -> chief wizard'",
                              "unknown role 'chief wizard'")),
    "unknown figure": ("degrees.yml", "duration: mem_duration", "duration: mem_length",
                       ("degrees.yml", "'mem'", "unknown figure 'mem_length'")),
    "unknown citation": ("figures.yml", "citation: gmac", "citation: gmca",
                         ("figures.yml", "'mba_premium'", "unknown citation 'gmca'")),
    "unknown section": ("topics.yml", "section: Key Takeaways", "section: Takeaways",
                        ("topics.yml", "'key_takeaways'", "not a heading")),
    "unknown field": ("employers.yml", "- name: Deloitte", "- name: Deloitte\n  size: big",
                      ("employers.yml", "'Deloitte'", "unknown field 'size'")),
    "missing file": ("tools.yml", "", None, ("tools.yml", "missing")),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_broken_data_stops_the_build_and_leaves_no_database(breakage: str, data_copy: Path,
                                                              tmp_path: Path) -> None:
    file_name, old, new, expected = BREAKAGES[breakage]
    if new is None:
        (data_copy / file_name).unlink()
    else:
        _edit(data_copy / file_name, old, new)
    db_dir = tmp_path / "var"
    with pytest.raises(KnowledgeError) as raised:
        build(data_copy, f"sqlite:///{db_dir / 'knowledge.db'}")
    message = str(raised.value)
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"
    assert "\n" not in message
    assert not db_dir.exists()


def test_cli_prints_the_message_to_stderr_and_exits_2(data_copy: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture) -> None:
    _edit(data_copy / "progression.yml", "from: junior project manager", "from: junior wizard")
    target = tmp_path / "var" / "knowledge.db"
    status = main(["--data-dir", str(data_copy), "--db-url", f"sqlite:///{target}"])
    assert status == 2
    assert "unknown role 'junior wizard'" in capsys.readouterr().err
    assert not target.exists()


def test_failed_rebuild_keeps_the_previous_database(data_copy: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'knowledge.db'}"
    build(data_copy, url)
    _edit(data_copy / "roles.yml", "stage: entry", "stage: nursery")
    with pytest.raises(KnowledgeError, match="unknown stage 'nursery'"):
        build(data_copy, url)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "knowledge.db"]


def test_the_database_holds_every_record_of_the_files(knowledge_db: str) -> None:
    """Each kind's table has one row per record of its file, and reads back as the same records."""
    from knowledge.queries import KnowledgeBase

    data = load_all()
    engine = create_engine(knowledge_db, future=True)
    with engine.connect() as connection:
        for kind, table in schema.TABLES.items():
            assert connection.execute(select(func.count()).select_from(table)).scalar() == len(data[kind]), kind
    engine.dispose()
    loaded = KnowledgeBase.load(knowledge_db)
    assert [c.acronym for c in loaded.certifications()] == [c.acronym for c in data["certifications"]]
    assert {r.name for r in loaded.roles()} == {r.name for r in data["roles"]}
    assert [(s.from_role, s.to_role) for s in loaded.steps()] == [(s.from_role, s.to_role) for s in data["progression"]]
    figure = data["degrees"][0].duration
    assert loaded.degrees()[0].duration == loaded.figure(figure)  # a reference reads back as its record


@pytest.mark.skipif(not ARTICLE.exists(), reason="the source article is not beside the repo")
def test_sections_are_article_headings_and_figures_are_article_text() -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    for heading in SECTIONS:
        assert f"\n{heading}\n" in article, heading
    from knowledge.queries import kb

    for figure in kb().figures():
        assert figure.text in article, figure.key


def test_data_states_no_number_outside_the_figures() -> None:
    """Every number in the data's text is a figure (or a cited source's year); never invented."""
    from knowledge.queries import kb

    figures = kb().figures()
    allowed = {f.text for f in figures} | {str(f.year) for f in figures if f.year}
    allowed |= {f.citation.title for f in figures if f.citation}  # "2024 GMAC ... Survey"
    allowed.add(kb().article().title)  # the article's own date
    allowed_digits = {d for text in allowed for d in re.findall(r"\d[\d,]*\d|\d", text)}
    for path in DATA_DIR.glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.match(r"\s*(#|-?\s*(ladder|order|amount|upper|year|url):)", line):
                continue
            for number in re.findall(r"\d[\d,]*\d|\d", line):
                assert number in allowed_digits, f"{path.name}: {number} in {line.strip()!r}"


def test_a_loaded_knowledge_base_needs_no_database(tmp_path: Path) -> None:
    """Read once, answered from memory: a database gone after the load changes no answer, even to
    a phrasing asked for the first time."""
    from knowledge.queries import KnowledgeBase

    path = tmp_path / "kb.db"
    loaded = KnowledgeBase.load(build(DATA_DIR, f"sqlite:///{path}"))
    path.unlink()
    role = loaded.roles()[0]
    for form in (role.name, role.name.upper(), f"the {role.name}s", *role.aliases):
        assert loaded.find_role(form) == role, form
    assert loaded.certifications_for(role.name) == [
        c for c in loaded.certifications() if c.stage == role.stage or role.name in c.fits_roles]
