"""Engine: per-document map → compact keyed records → merge.

The only place that knows how work is spread. Each document is audited by
`DocumentAuditor`, a pure function of that one document and the rules:
normalize, claims, every check inside the text, text damage, and the keyed
records of the cross-document kinds (restatement). Its `DocumentResult`
holds findings, verified relations, those records and the normalized text
for repeated passages, never the claims themselves, so the parent keeps
one small result per document. The merge joins records by key in the
parent, in document order, so the report is the same whichever engine ran:

- `inprocess`: one process (also what `--jobs 1` means);
- `processes`: a process pool of `--jobs N` workers (default: the cores);
- `dask`: the same map and merge on `dask.bag` (extra `auditor[dask]`), on
  a local scheduler or on a cluster given `--scheduler ADDRESS`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator

from .findings import DocumentSummary, Finding, Verified

ENGINES = ("inprocess", "processes", "dask")
# A document's budget: claims beyond this many are not checked, and a rule
# reports at most this many findings per document; both leave a note.
MAX_CLAIMS_PER_DOCUMENT = 100_000
MAX_FINDINGS_PER_RULE = 200
# Below this many characters a pool costs more than it saves, so an
# unspecified --jobs runs in process.
POOL_MIN_CHARS = 1_000_000
# Documents handed to a worker at a time: large enough to amortize the
# round trip, small enough to keep the pool busy to the end.
CHUNK_CHARS = 400_000


@dataclass
class DocumentResult:
    """What one document leaves for the merge."""

    summary: DocumentSummary
    findings: list[Finding] = field(default_factory=list)
    verified: list[Verified] = field(default_factory=list)
    not_assessable: list = field(default_factory=list)
    records: dict[str, list] = field(default_factory=dict)  # rule id → [(key, record)]
    source: object = None   # evidence.SourceText, for repeated passages
    places: object = None   # PlaceIndex: where each figure speaks of, for passages repeated with figures changed
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


@dataclass(frozen=True)
class ClaimPlace:
    """A claim's span, place and time: all that repeated passages need of it."""

    quantity: _Span
    place: str
    time: str


class PlaceIndex:
    """The claims' spans, places and times of one document, kept compact
    (arrays and a table of names, about 32 bytes a claim): the merge holds one
    per document, and only passages repeated with figures changed read it."""

    def __init__(self, claims: list, place: str):
        from array import array

        self.place = place
        names: dict[str, int] = {}
        self._names: list[str] = []
        self._starts, self._ends = array("q"), array("q")
        self._places, self._times = array("l"), array("l")
        for claim in sorted(claims, key=lambda claim: claim.start):  # stable: as Places looks them up
            self._starts.append(claim.start)
            self._ends.append(claim.end)
            for column, name in ((self._places, claim.place), (self._times, claim.time)):
                if name not in names:
                    names[name] = len(self._names)
                    self._names.append(name)
                column.append(names[name])

    def claim_at(self, position: int) -> ClaimPlace | None:
        """The claim whose quantity covers `position`: the last one starting at or before it."""
        import bisect

        index = bisect.bisect_right(self._starts, position) - 1
        if index < 0 or self._ends[index] <= position:
            return None
        names = self._names
        return ClaimPlace(_Span(self._starts[index], self._ends[index]), names[self._places[index]],
                          names[self._times[index]])


class DocumentAuditor:
    """Audits one document (picklable, so it runs in any worker)."""

    def __init__(self, rules: list, settings):
        self.rules, self.settings = rules, settings
        self.min_confidence = getattr(settings, "min_confidence", "low")

    def _kinds(self) -> list[tuple]:
        """(rule, kind) of every rule whose kind evaluates, looked up once."""
        if getattr(self, "_rule_kinds", None) is None:
            from .checks import KINDS

            self._rule_kinds = [(rule, KINDS.get(rule.kind)) for rule in self.rules
                                if getattr(KINDS.get(rule.kind), "evaluate", None)]
        return self._rule_kinds

    def __call__(self, item: tuple[int, object]) -> DocumentResult:
        order, document = item
        from .checks import evaluate_rule, verified_order
        from .claims import analyze
        from .damage import find_text_damage

        analyzed = analyze(document)
        notes = []
        if len(analyzed.claims) > MAX_CLAIMS_PER_DOCUMENT:
            notes.append(f"partly audited: {len(analyzed.claims):,} claims, only the first "
                         f"{MAX_CLAIMS_PER_DOCUMENT:,} were checked")
            del analyzed.claims[MAX_CLAIMS_PER_DOCUMENT:]
        result = DocumentResult(
            DocumentSummary(analyzed.source.path, document.encoding, len(document.text), len(analyzed.claims),
                            getattr(document, "notes", ()) or ()),
            source=analyzed.source, notes=notes,
            places=PlaceIndex(analyzed.claims, analyzed.place))
        for rule, kind in self._kinds():
            if getattr(kind, "records", None):
                result.records[rule.id] = kind().records(rule, analyzed, order)
        for rule, kind in self._kinds():
            if getattr(kind, "records", None):
                continue
            findings, outcomes = [], []
            evaluate_rule(rule, kind, [analyzed], self.min_confidence, findings, outcomes)
            outcomes.sort(key=verified_order)
            result.findings += _capped(findings, rule.id, notes)
            for outcome in outcomes:
                (result.verified if isinstance(outcome, Verified) else result.not_assessable).append(outcome)
        result.findings += _capped(find_text_damage(analyzed.source, self.settings), "text damage", notes)
        return result


def _detached(result: DocumentResult) -> DocumentResult:
    """The result without its original text, which the parent holds
    already (so it is neither pickled back nor kept twice)."""
    source = result.source
    if source is not None:
        source.document = replace(source.document, text="")
    return result


def _attached(result: DocumentResult, document) -> DocumentResult:
    if result.source is not None and not result.source.document.text:
        result.source.document = document
    return result


def _capped(findings: list[Finding], what: str, notes: list[str]) -> list[Finding]:
    if len(findings) <= MAX_FINDINGS_PER_RULE:
        return findings
    notes.append(f"partly reported: {what} found {len(findings):,} findings, only the first "
                 f"{MAX_FINDINGS_PER_RULE} are listed")
    return findings[:MAX_FINDINGS_PER_RULE]


def map_documents(documents: list, auditor: DocumentAuditor, engine: str = "processes", jobs: int | None = None,
                  scheduler: str | None = None,
                  progress: Callable[[str], None] | None = None) -> Iterator[DocumentResult]:
    """DocumentResults in document order, whichever engine computes them."""
    items = list(enumerate(documents))
    if engine == "dask":
        yield from _map_dask(items, auditor, scheduler)
        return
    if jobs is None:
        small = sum(len(document.text) for _, document in items) < POOL_MIN_CHARS
        jobs = 1 if small else default_jobs()
    if engine == "inprocess" or jobs <= 1 or len(items) < 2:
        for item in items:
            if progress:
                progress(item[1].path)
            yield auditor(item)
        return
    yield from _map_pool(items, auditor, jobs, progress)


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


_WORKER: DocumentAuditor | None = None


def _start_worker(auditor: DocumentAuditor) -> None:
    import signal

    global _WORKER
    _WORKER = auditor
    # The parent handles Ctrl-C and SIGTERM (its handler raises, which in a
    # worker would print a traceback when the pool is torn down).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run_chunk(chunk: list) -> list[DocumentResult]:
    results = [_detached(_WORKER(item)) for item in chunk]
    # Fingerprints are a pure function of a finding and its file's project
    # root; the workers see the parent's files and folder, so they compute
    # them in parallel (the parent fingerprints only the findings of the merge).
    from .findings import assign_fingerprints

    for result in results:
        assign_fingerprints(result.findings, _worker_root())
    return results


def _worker_root():
    global _WORKER_ROOT
    if _WORKER_ROOT is None:
        from .config import root_finder

        _WORKER_ROOT = root_finder(_WORKER.settings)
    return _WORKER_ROOT


_WORKER_ROOT = None


def _chunks(items: list, jobs: int) -> list[list]:
    """Consecutive runs of documents of about CHUNK_CHARS each (at least
    four chunks per worker when the corpus allows), in order."""
    total = sum(len(document.text) for _, document in items)
    target = max(1, min(CHUNK_CHARS, total // (jobs * 4) or 1))
    chunks, current, size = [], [], 0
    for item in items:
        current.append(item)
        size += len(item[1].text)
        if size >= target:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def _warm() -> None:
    """Import and compile in the parent what every worker needs, so forked
    workers share it instead of each paying for it."""
    from .checks import KINDS
    from .nonquantities import _set_phrases
    from .normalize import _converter
    from .quantities import _quantity_pattern
    from . import claims, damage  # noqa: F401

    list(KINDS)
    _quantity_pattern()
    _set_phrases()
    _converter()


def _map_pool(items, auditor, jobs, progress) -> Iterator[DocumentResult]:
    import multiprocessing

    _warm()
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    chunks = _chunks(items, jobs)
    pool = context.Pool(min(jobs, len(chunks)), initializer=_start_worker, initargs=(auditor,))
    try:
        for chunk, results in zip(chunks, pool.imap(_run_chunk, chunks)):
            for (_, document), result in zip(chunk, results):
                if progress:
                    progress(result.summary.path)
                yield _attached(result, document)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _map_dask(items, auditor, scheduler) -> Iterator[DocumentResult]:
    try:
        import dask
        import dask.bag as bag
    except ImportError:
        from .errors import InputError

        raise InputError("--engine dask needs Dask: pip install 'auditor[dask]'") from None
    partitions = max(1, min(len(items), 4 * default_jobs()))
    documents = bag.from_sequence(items, npartitions=partitions).map(_DetachedAuditor(auditor))
    if scheduler in (None, "", "processes", "threads", "synchronous", "sync"):
        with dask.config.set(scheduler=scheduler or "processes"):
            results = _computed(documents)
    else:
        try:
            from distributed import Client
        except ImportError:
            from .errors import InputError

            raise InputError("--scheduler ADDRESS needs dask.distributed: pip install 'auditor[dask]'") from None
        with Client(scheduler) as client:
            results = _computed(documents, client)
    for (_, document), result in zip(items, results):
        yield _attached(result, document)


class _DetachedAuditor:
    def __init__(self, auditor: DocumentAuditor):
        self.auditor = auditor

    def __call__(self, item) -> DocumentResult:
        return _detached(self.auditor(item))


def _computed(documents, client=None) -> list[DocumentResult]:
    from dask.diagnostics import ProgressBar

    if client is not None:
        return list(client.compute(documents).result())
    import sys

    if sys.stderr.isatty():
        with ProgressBar():
            return list(documents.compute())
    return list(documents.compute())


def merge(results: Iterable[DocumentResult], rules: list, settings) -> tuple[list, list, list, list, list]:
    """Join the documents' results: cross-document kinds over their keyed
    records, repeated passages over the normalized texts. Returns
    (summaries, findings, verified, not assessable, sources, notes)."""
    from .checks import KINDS
    from .duplicates import find_repeated_passages

    summaries, findings, verified, sources, notes, places, not_assessable = [], [], [], [], [], [], []
    records: dict[str, dict[tuple, list]] = {}
    for result in results:
        summaries.append(result.summary)
        findings += result.findings
        verified += result.verified
        not_assessable += result.not_assessable
        sources.append(result.source)
        places.append(result.places)
        notes += [{"path": result.summary.path, "reason": note} for note in result.notes]
        for rule_id, keyed in result.records.items():
            groups = records.setdefault(rule_id, {})
            for key, record in keyed:
                groups.setdefault(key, []).append(record)
    from .checks import as_shown, confident_enough, verified_order

    floor = getattr(settings, "min_confidence", "low")
    for rule in rules:
        if rule.id in records:
            for outcome in KINDS[rule.kind]().judge(rule, records.pop(rule.id), sources):
                if confident_enough(outcome, floor):
                    (findings if isinstance(outcome, Finding) else verified).append(as_shown(outcome))
    verified.sort(key=verified_order)
    findings += find_repeated_passages(sources, settings, places)
    return summaries, findings, verified, not_assessable, sources, notes


@dataclass
class Merged:
    """The merged run: per-document summaries, findings, the other outcomes
    (verified relations) in a stable order, the documents' SourceTexts and
    the notes of budgets and caps that were hit."""

    summaries: list
    findings: list
    verified: list
    not_assessable: list
    sources: list
    notes: list


def audit(documents: list, rules: list, settings, engine: str | None = None, jobs: int | None = None,
          scheduler: str | None = None, progress: Callable[[str], None] | None = None) -> Merged:
    """Map every document and merge."""
    scheduler = scheduler or getattr(settings, "scheduler", None)
    engine = engine or getattr(settings, "engine", None) or ("dask" if scheduler else "processes")
    jobs = jobs if jobs is not None else getattr(settings, "jobs", None)
    auditor = DocumentAuditor(rules, settings)
    results = map_documents(documents, auditor, engine, jobs, scheduler, progress)
    return Merged(*merge(results, rules, settings))
