"""The compiled-pattern cache: written at exit, read by the next process,
ignored when damaged or turned off, and never changing what a pattern matches."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = r"""
import json, sys
from auditor import patterns
pattern = patterns.compiled(r"(?P<count>\d+)(?:户|人)", 0)
match = pattern.search("全村共有贫困户12户")
print(json.dumps({"stored": len(patterns._COMPILED_CODE.stored), "span": match.span(), "group": match.group("count"),
                  "groups": pattern.groupindex}))
"""


def _probe(cache: Path, **env) -> dict:
    environment = {"AUDIT_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin", **env}
    done = subprocess.run([sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _cache_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("patterns-*.marshal"))


def test_a_second_process_builds_its_patterns_from_the_cache(tmp_path):
    first = _probe(tmp_path)
    assert first["stored"] == 0
    assert len(_cache_files(tmp_path)) == 1
    second = _probe(tmp_path)
    assert second["stored"] >= 1
    assert (second["span"], second["group"], second["groups"]) == (first["span"], first["group"], first["groups"])


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\xe3" * 100])
def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path, damage):
    _probe(tmp_path)
    [cache_file] = _cache_files(tmp_path)
    cache_file.write_bytes(damage)
    result = _probe(tmp_path)
    assert (result["span"], result["group"]) == ([7, 10], "12")
    assert cache_file.read_bytes() != damage


def test_an_entry_for_another_pattern_is_not_used(tmp_path):
    import marshal

    import regex

    _probe(tmp_path)
    [cache_file] = _cache_files(tmp_path)
    entries = marshal.loads(cache_file.read_bytes())
    impostor = regex.compile(r"贫困户")._pickled_data
    entries = {key: impostor for key in entries}
    cache_file.write_bytes(marshal.dumps(entries))
    result = _probe(tmp_path)
    assert (result["span"], result["group"]) == ([7, 10], "12")


def test_no_cache_writes_nothing(tmp_path):
    _probe(tmp_path, AUDIT_NO_CACHE="1")
    assert _cache_files(tmp_path) == []


def test_the_no_cache_option_writes_nothing(tmp_path):
    seeds = Path(__file__).parents[1] / "seeds"
    environment = {"AUDIT_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "auditor.cli", "--no-cache", "run", str(seeds), "--no-reports", "-q"],
                   env=environment, capture_output=True, check=False)
    assert _cache_files(tmp_path) == []
