"""The walk reads only what it should: never its own reports or baseline,
not what .gitignore / .ignore exclude (unless --no-ignore), no link out of
the given paths (unless --follow-links), no /proc-like file; and documents
are keyed by their real path, whatever name they show."""

import json
import os
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.ingest import Document, Skipped, discover, read_document

TEXT = "全县共有贫困户3043户，贫困人口10493人。\n"
CONFLICT = "全县共有贫困户3043户。\n后来统计，全县共有贫困户3500户。\n"


def names(paths, root):
    return [Path(p).relative_to(root).as_posix() for p in paths]


def audit_json(tmp_path, *args, cwd=None):
    out = tmp_path / "out.json"
    code = main(["run", *map(str, args), "--no-reports", "--json", str(out), "--fail-on", "never"])
    assert code == 0
    return json.loads(out.read_text("utf-8"))


def test_the_report_folder_and_baseline_are_never_read(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "report.md").write_text(TEXT, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "report.html").write_text(f"<p>{TEXT}</p>", encoding="utf-8")
    (tmp_path / "known.txt").write_text(TEXT, encoding="utf-8")
    found = discover([str(tmp_path)], never_read=(str(tmp_path / "reports"), str(tmp_path / "out"),
                                                   str(tmp_path / "known.txt")))
    assert names(found, tmp_path) == ["a.txt"]


def test_audit_run_twice_in_a_folder_holding_its_own_reports_gives_the_same_findings(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(CONFLICT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    results = []
    for _ in range(2):
        main(["run", ".", "--fail-on", "never"])
        data = json.loads((tmp_path / "reports" / "report.json").read_text("utf-8"))
        results.append(([f["fingerprint"] for f in data["findings"]], [d["path"] for d in data["documents"]]))
    assert results[0] == results[1]
    assert results[0][1] == ["a.txt"] and results[0][0]


def test_gitignore_and_ignore_files_are_honoured_unless_no_ignore(tmp_path):
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "texts" / "drafts").mkdir(parents=True)
    (root / "texts" / "old").mkdir()
    (root / ".gitignore").write_text("drafts/\n*.tmp.txt\n", encoding="utf-8")
    (root / "texts" / ".ignore").write_text("old/\n!keep.tmp.txt\n", encoding="utf-8")
    for name in ("a.txt", "b.tmp.txt", "keep.tmp.txt", "drafts/c.txt", "old/d.txt"):
        (root / "texts" / name).write_text(TEXT, encoding="utf-8")
    # Walking a folder inside the repository still honours the .gitignore at its root.
    assert names(discover([str(root / "texts")]), root / "texts") == ["a.txt", "keep.tmp.txt"]
    everything = discover([str(root / "texts")], ignore_files=False)
    assert names(everything, root / "texts") == ["a.txt", "b.tmp.txt", "drafts/c.txt", "keep.tmp.txt", "old/d.txt"]
    data = audit_json(tmp_path, root / "texts", "--no-ignore")
    assert len(data["documents"]) == 5


def test_links_out_of_the_given_paths_are_refused_with_a_note(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("全县共有贫困户9999户。\n", encoding="utf-8")
    texts = tmp_path / "texts"
    (texts / "sub").mkdir(parents=True)
    (texts / "a.txt").write_text(TEXT, encoding="utf-8")
    (texts / "secret.txt").symlink_to(outside / "secret.txt")
    (texts / "passwd.txt").symlink_to("/etc/passwd")
    (texts / "sub" / "alias.txt").symlink_to(texts / "a.txt")   # inside: the same file, read once
    (texts / "linked").symlink_to(outside, target_is_directory=True)
    data = audit_json(tmp_path, texts)
    assert [Path(d["path"]).name for d in data["documents"]] == ["a.txt"]
    skipped = {Path(s["path"]).name: s["reason"] for s in data["skipped"]}
    assert set(skipped) == {"secret.txt", "passwd.txt"}
    assert all("outside the given paths" in reason and "--follow-links" in reason for reason in skipped.values())
    assert "9999" not in claims_json(tmp_path, texts)
    followed = audit_json(tmp_path, texts, "--follow-links")
    assert {Path(d["path"]).name for d in followed["documents"]} == {"a.txt", "secret.txt", "passwd.txt"}
    assert "9999" in claims_json(tmp_path, texts, "--follow-links")


def claims_json(tmp_path, *args) -> str:
    out = tmp_path / "claims.json"
    assert main(["claims", *map(str, args), "--json", str(out)]) == 0
    return out.read_text("utf-8")


def test_follow_links_does_not_loop(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(TEXT, encoding="utf-8")
    (texts / "again").symlink_to(texts, target_is_directory=True)
    try:
        found = discover([str(texts)], follow_links=True)
    finally:
        (texts / "again").unlink()  # a loop left behind trips tools that clean up temporary folders
    assert [p.name for p in found] == ["a.txt"]


@pytest.mark.skipif(not os.path.exists("/proc/meminfo"), reason="no /proc on this system")
def test_proc_files_that_claim_size_0_are_not_read(tmp_path):
    result = read_document(Path("/proc/meminfo"))
    assert isinstance(result, Skipped) and "/proc" in result.reason


def test_documents_whose_names_show_alike_stay_two_documents(tmp_path):
    folder = os.fsencode(tmp_path / "texts")
    os.mkdir(folder)
    for name in (b"bad\xff.txt", b"bad\xfe.txt"):
        with open(folder + b"/" + name, "wb") as stream:
            stream.write(CONFLICT.encode("utf-8"))
    documents = [read_document(path) for path in discover([os.fsdecode(folder)])]
    assert all(isinstance(d, Document) for d in documents)
    assert documents[0].path == documents[1].path            # both show as bad\ufffd.txt
    assert documents[0].key != documents[1].key              # but are two documents
    data = audit_json(tmp_path, os.fsdecode(folder))
    assert len(data["documents"]) == 2
    # One restatement in each file: two findings, not one.
    assert len([f for f in data["findings"] if f["rule"] == "RST01"]) == 2


def test_a_broken_ignore_file_drops_only_its_bad_lines(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / ".gitignore").write_bytes(b"\\\n!\nb.txt\n\xff\xfe\x00\n")
    assert [p.name for p in discover([str(tmp_path)])] == ["a.txt"]


IGNORE_LINES = ["# comment", "", "*.txt", "/build", "docs/**/draft*", "!keep.txt", "a?c.md", "[ab]x.md",
                "**/tmp/", "foo\\ bar.md", "reports/report.*", "!/reports/report.md", "   ", "dist/"]
IGNORE_PATHS = ["a.txt", "keep.txt", "x/keep.txt", "build/", "build/a.md", "x/build/a.md", "docs/draft1.md",
                "docs/x/y/draft2.md", "docs/final.md", "abc.md", "aXc.md", "ax.md", "cx.md", "x/tmp/",
                "tmp/a.md", "foo bar.md", "reports/report.html", "reports/report.md", "dist/", "dist/a.md",
                "district.md", "x/dist/", "plain.md", "notes/plain.html"]


@pytest.mark.parametrize("lines", [IGNORE_LINES, IGNORE_LINES[5:], ["!*.md"], ["*"], ["#x", ""]])
def test_the_literal_prefilter_decides_as_pathspec_does(lines):
    import pathspec

    from auditor.ingest.walk import _IgnoreFile

    ignore_file, spec = _IgnoreFile(lines), pathspec.GitIgnoreSpec.from_lines(lines)
    for path in IGNORE_PATHS:
        assert ignore_file.decision(path) == spec.check_file(path).include, path


def test_a_walk_no_ignore_rule_can_touch_does_not_import_pathspec(tmp_path):
    import subprocess
    import sys

    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("build/\n*.log\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("全县共有贫困户120户。\n", encoding="utf-8")
    (tmp_path / "b.log.txt").write_text("全县共有贫困户120户。\n", encoding="utf-8")
    script = ("import sys; from auditor.ingest import discover; from pathlib import Path; "
              "found = discover([Path(sys.argv[1])]); "
              "print(sorted(p.name for p in found), 'pathspec' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['a.txt', 'b.log.txt'] True"  # it holds the piece '.log': pathspec decides
    (tmp_path / "b.log.txt").unlink()
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['a.txt'] False"
