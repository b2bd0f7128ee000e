"""The README's GitHub Actions workflow, run for real: its `run:` steps in order, install pointed at this checkout.

`uses:` steps (checkout, setup-python, upload-artifact) are GitHub's own; the
test stands in for them with a git repository holding a copy of
``examples/bracket`` as ``product/`` and checks that the folder the upload step
names exists and holds a pack.  The install step installs this checkout with
pip (no dependencies: they are the test environment's) into a private folder,
so the workflow runs the ``techpack`` command pip made, not the test's import.
pip builds the checkout in an isolated build environment, so setuptools must be
installable from the configured package index (or its mirror).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def readme_workflow() -> dict:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "# .github/workflows/" in b)
    return yaml.safe_load(block)


def test_the_workflow_pins_techpack_to_a_repository_tag_or_commit():
    wf = readme_workflow()
    source = wf["env"]["TECHPACK_SOURCE"]
    # Either the documented placeholder (the user puts in the repository they got techpack from; a guessed
    # address could later be taken by someone else) or a real address pinned to a tag or a full commit.
    m = re.fullmatch(r"techpack @ git\+https://(?P<repo><techpack repository>|[^@\s<>]+)@(?P<ref><tag or commit>|\S+)", source)
    assert m, source
    ref = m["ref"]
    placeholder = m["repo"] == "<techpack repository>"
    assert (placeholder and ref == "<tag or commit>") or re.fullmatch(r"v\d+(\.\d+)*|[0-9a-f]{40}", ref), \
        f"pin to a tag or full commit, not {ref!r}"
    steps = wf["jobs"]["pack"]["steps"]
    installs = [s["run"] for s in steps if "run" in s and "pip install" in s["run"]]
    assert installs == ['pip install "$TECHPACK_SOURCE"']  # nothing installs by the bare package name


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_workflow_steps_run_and_produce_the_pack(tmp_path):
    wf = readme_workflow()
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "bracket", repo / "product")
    shutil.rmtree(repo / "product" / ".techpack-cache", ignore_errors=True)
    git = ["git", "-c", "user.name=ci", "-c", "user.email=ci@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "product", "--date", "2026-03-02T00:00:00Z"],
                   check=True, env=dict(os.environ, GIT_COMMITTER_DATE="2026-03-02T00:00:00Z"))
    site = tmp_path / "site"
    github_env = tmp_path / "github_env"
    github_env.write_text("")
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    env.update(wf.get("env", {}))
    env["TECHPACK_SOURCE"] = str(ROOT)  # the install step, pointed at the checkout
    env["GITHUB_ENV"] = str(github_env)
    env["PATH"] = f"{site / 'bin'}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(site)
    ran = []
    for step in wf["jobs"]["pack"]["steps"]:
        if "run" not in step:
            continue
        cmd = step["run"]
        if cmd.startswith("pip install"):
            cmd = (f"{sys.executable} -m pip install --quiet --no-deps --target {site} "
                   + cmd[len("pip install"):])
        for line in github_env.read_text().splitlines():  # what earlier steps exported
            key, _, value = line.partition("=")
            env[key] = value
        result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", cmd], cwd=repo, env=env,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, (step.get("name", cmd), result.stdout[-2000:], result.stderr[-2000:])
        ran.append(cmd)
    assert len(ran) == 4
    # the command the workflow ran is the one pip installed from the checkout
    assert (site / "bin" / "techpack").is_file()
    assert (site / "techpack" / "cli.py").is_file()
    where = subprocess.run([sys.executable, "-c", "import techpack; print(techpack.__file__)"], env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(site), where  # the steps ran the installed copy, not this checkout
    upload = next(s for s in wf["jobs"]["pack"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    pack = repo / upload["with"]["path"]
    manifest = json.loads((pack / "manifest.json").read_text())
    assert manifest["source_date"] == "2026-03-02T00:00:00Z"  # SOURCE_DATE_EPOCH from the commit, via GITHUB_ENV
    assert (pack / "techpack.pdf").is_file() and (pack / "inspection" / "plan.csv").is_file()
