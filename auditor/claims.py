"""Claims: Quantity + thing + place + time + location (stub being written)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .evidence import SourceText
from .ingest import Document
from .quantities import Quantity


@dataclass(frozen=True)
class Claim:
    """A quantity and what it is about. Offsets are in the normalized text."""

    index: int
    quantity: Quantity
    thing: str
    place: str
    time: str
    paragraph: int
    sentence: int


@dataclass
class AnalyzedDocument:
    source: SourceText
    claims: list[Claim] = field(default_factory=list)


def analyze(document: Document) -> AnalyzedDocument:
    source = SourceText.of(document)
    return AnalyzedDocument(source, [])
