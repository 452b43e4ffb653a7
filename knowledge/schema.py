"""SQLAlchemy 1.4 declarative models of the knowledge base.

Entities are classes; many-to-many links and ordered lists are plain association tables
with a ``position`` column so every list keeps the order it has in the YAML.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base

Base = declarative_base()
metadata = Base.metadata

_NAME = 120  # length of names and keys


def _key(name: str, primary_key: bool = True) -> Column:
    return Column(name, String(_NAME), primary_key=primary_key)


def _ref(name: str, target: str, primary_key: bool = False, nullable: bool = False) -> Column:
    return Column(name, String(_NAME), ForeignKey(target), primary_key=primary_key, nullable=nullable)


def _ordered(table: str, owner: Column, *columns: Column) -> Table:
    """An ordered list attached to an owner row: (owner, position) is the primary key."""
    return Table(table, metadata, owner, Column("position", Integer, primary_key=True), *columns)


class Citation(Base):
    __tablename__ = "citations"
    key = _key("key")
    publisher = Column(String(_NAME), nullable=False)
    title = Column(Text, nullable=False)
    url = Column(Text, nullable=False)
    section = Column(Text, nullable=False)


class Figure(Base):
    __tablename__ = "figures"
    key = _key("key")
    position = Column(Integer, nullable=False)
    label = Column(Text, nullable=False)
    amount = Column(Float, nullable=False)
    upper = Column(Float)
    unit = Column(String(16), nullable=False)
    text = Column(Text, nullable=False)
    year = Column(Integer)
    open_ended = Column(Boolean, nullable=False, default=False)
    citation_key = _ref("citation_key", "citations.key", nullable=True)
    section = Column(Text, nullable=False)


class Stage(Base):
    __tablename__ = "stages"
    key = _key("key")
    name = Column(String(_NAME), nullable=False)
    order = Column("stage_order", Integer, nullable=False, unique=True)
    summary = Column(Text, nullable=False)
    duration_key = _ref("duration_key", "figures.key", nullable=True)
    section = Column(Text, nullable=False)


class Skill(Base):
    __tablename__ = "skills"
    name = _key("name")


class Role(Base):
    __tablename__ = "roles"
    name = _key("name")
    stage_key = _ref("stage_key", "stages.key")
    ladder = Column(Integer, nullable=False)
    summary = Column(Text, nullable=False)
    section = Column(Text, nullable=False)


class Edge(Base):
    """A progression step between two roles."""

    __tablename__ = "progression_edges"
    from_role = _ref("from_role", "roles.name", primary_key=True)
    to_role = _ref("to_role", "roles.name", primary_key=True)
    position = Column(Integer, nullable=False)
    implied = Column(Boolean, nullable=False, default=False)  # the article does not state it
    section = Column(Text, nullable=False)


class Certification(Base):
    __tablename__ = "certifications"
    acronym = _key("acronym")
    position = Column(Integer, nullable=False)
    name = Column(String(_NAME), nullable=False)
    summary = Column(Text, nullable=False)
    stage_key = _ref("stage_key", "stages.key", nullable=True)
    section = Column(Text, nullable=False)


class Degree(Base):
    __tablename__ = "degrees"
    key = _key("key")
    position = Column(Integer, nullable=False)
    name = Column(String(_NAME), nullable=False)
    level = Column(String(16), nullable=False)
    summary = Column(Text, nullable=False)
    duration_key = _ref("duration_key", "figures.key", nullable=True)
    premium_key = _ref("premium_key", "figures.key", nullable=True)
    section = Column(Text, nullable=False)


class Specialization(Base):
    __tablename__ = "specializations"
    name = _key("name")
    position = Column(Integer, nullable=False)
    focus = Column(Text, nullable=False)
    section = Column(Text, nullable=False)


class Industry(Base):
    __tablename__ = "industries"
    name = _key("name")
    position = Column(Integer, nullable=False)
    pay = Column(String(16))
    notes = Column(Text, nullable=False, default="")
    section = Column(Text, nullable=False)


class Employer(Base):
    __tablename__ = "employers"
    name = _key("name")
    position = Column(Integer, nullable=False)
    section = Column(Text, nullable=False)


class Discipline(Base):
    __tablename__ = "disciplines"
    key = _key("key")
    position = Column(Integer, nullable=False)
    engineer = Column(String(_NAME), nullable=False)
    summary = Column(Text, nullable=False)
    section = Column(Text, nullable=False)


class Topic(Base):
    __tablename__ = "topics"
    key = _key("key")
    position = Column(Integer, nullable=False)
    title = Column(Text, nullable=False)
    text = Column(Text, nullable=False)
    section = Column(Text, nullable=False)


class Tool(Base):
    __tablename__ = "tools"
    name = _key("name")
    position = Column(Integer, nullable=False)
    topic_key = _ref("topic_key", "topics.key")
    section = Column(Text, nullable=False)


class Comparison(Base):
    __tablename__ = "comparisons"
    id = Column(Integer, primary_key=True)
    left_role = _ref("left_role", "roles.name")
    right_role = _ref("right_role", "roles.name")
    section = Column(Text, nullable=False)
    __table_args__ = (UniqueConstraint("left_role", "right_role"),)


class NotCovered(Base):
    """Something users may ask about that the article does not cover."""

    __tablename__ = "not_covered"
    term = _key("term")
    kind = Column(String(16), nullable=False)
    nearest = Column(String(32))  # topics only: the question intent whose answer comes closest


class SurfaceForm(Base):
    """A name, acronym or alias users may type, per entity label (unique once normalised)."""

    __tablename__ = "surface_forms"
    label = Column(String(32), primary_key=True)
    normalized = Column(String(_NAME), primary_key=True)
    value = Column(String(_NAME), nullable=False, index=True)
    form = Column(String(_NAME), nullable=False)
    position = Column(Integer, nullable=False)
    case_sensitive = Column(Boolean, nullable=False, default=False)  # tagged !cased in the data


role_skills = _ordered("role_skills", _ref("role_name", "roles.name", primary_key=True),
                       _ref("skill_name", "skills.name"))
role_responsibilities = _ordered("role_responsibilities",
                                 _ref("role_name", "roles.name", primary_key=True),
                                 Column("text", Text, nullable=False))
role_reports_to = _ordered("role_reports_to", _ref("role_name", "roles.name", primary_key=True),
                           _ref("manager_name", "roles.name"))
role_next_steps = _ordered("role_next_steps", _ref("role_name", "roles.name", primary_key=True),
                           _ref("next_name", "roles.name"))
stage_skills = _ordered("stage_skills", _ref("stage_key", "stages.key", primary_key=True),
                        _ref("skill_name", "skills.name"))
stage_extra_roles = _ordered("stage_extra_roles", _ref("stage_key", "stages.key", primary_key=True),
                             _ref("role_name", "roles.name"))
ladder_rungs = Table("ladder_rungs", metadata, Column("position", Integer, primary_key=True),
                     _ref("role_name", "roles.name"), Column("section", Text, nullable=False))
certification_benefits = _ordered("certification_benefits",
                                  _ref("acronym", "certifications.acronym", primary_key=True),
                                  Column("text", Text, nullable=False))
certification_roles = _ordered("certification_roles",
                               _ref("acronym", "certifications.acronym", primary_key=True),
                               _ref("role_name", "roles.name"))
degree_skills = _ordered("degree_skills", _ref("degree_key", "degrees.key", primary_key=True),
                         _ref("skill_name", "skills.name"))
specialization_roles = _ordered("specialization_roles",
                                _ref("specialization_name", "specializations.name", primary_key=True),
                                Column("role_name", String(_NAME), ForeignKey("roles.name"),
                                       nullable=False, unique=True))
discipline_moves = _ordered("discipline_moves", _ref("discipline_key", "disciplines.key", primary_key=True),
                            Column("target", Text, nullable=False))
topic_items = _ordered("topic_items", _ref("topic_key", "topics.key", primary_key=True),
                       Column("text", Text, nullable=False))
comparison_rows = _ordered("comparison_rows",
                           Column("comparison_id", Integer, ForeignKey("comparisons.id"), primary_key=True),
                           Column("dimension", String(_NAME), nullable=False),
                           Column("left_text", Text, nullable=False),
                           Column("right_text", Text, nullable=False))
