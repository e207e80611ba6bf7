"""Repository plumbing: the CI workflow, Dependabot, scripts, README quickstart, lock, templates,
and the pre-commit hook.

Each test checks what a file *does* (parsed YAML, the real commands, a real git hook), not how it
is worded, so each catches one of the defects of issue 13 if it ever comes back: a workflow that
installs a browser with apt, an action pinned by tag or without its version, a deploy that does
not wait for the tests, pull requests tested twice, CI running something other than the README's
command, a lint (actionlint) that is not clean, a hook that needs an activated virtualenv.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from support.paths import REPO_ROOT

ROOT = REPO_ROOT
WORKFLOWS = ROOT / ".github" / "workflows"
FACTS = ROOT / "docs" / "dev" / "github-facts.md"
SHA = re.compile(r"[0-9a-f]{40}")
VERSION_COMMENT = re.compile(r"v\d+\.\d+\.\d+")
BIN = Path(sys.executable).parent
PAGES_ACTIONS = {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"}


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def workflows() -> dict[str, dict[Any, Any]]:
    out = {}
    for path in workflow_files():
        data = load_yaml(path)
        assert isinstance(data, dict), path.name
        out[path.name] = data
    return out


def triggers(wf: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    on = wf.get("on", wf.get(True))
    assert on, "workflow has no `on:` triggers"
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return dict(on)


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps") or [])


def all_steps() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for name, wf in workflows().items():
        for job_id, job in wf["jobs"].items():
            for step in steps(job):
                yield name, job_id, step


def run_lines(step: dict[str, Any]) -> list[str]:
    return [ln.strip() for ln in str(step.get("run", "")).splitlines() if ln.strip()]


def uses_lines(path: Path) -> list[tuple[str, str]]:
    """(action reference, trailing comment) for every `uses:` line in the raw file."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(?:#\s*(.*))?$", line)
        if m:
            found.append((m.group(1), (m.group(2) or "").strip()))
    return found


def needs_of(job: dict[str, Any]) -> set[str]:
    needs = job.get("needs") or []
    return {needs} if isinstance(needs, str) else set(needs)


def upstream(jobs: dict[str, Any], job_id: str) -> set[str]:
    """Every job `job_id` waits for, directly or through other jobs."""
    seen: set[str] = set()
    todo = list(needs_of(jobs[job_id]))
    while todo:
        j = todo.pop()
        if j not in seen:
            seen.add(j)
            todo += needs_of(jobs[j])
    return seen


def quickstart_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quickstart\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert section, "README has no `## Quickstart` section"
    blocks = re.findall(r"^```bash\n(.*?)^```", section.group(1), re.M | re.S)
    assert len(blocks) == 1, "Quickstart should have exactly one bash block"
    return [line for line in blocks[0].splitlines() if line.strip()]


def ci_run_commands() -> list[str]:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]


def the_test_job() -> tuple[str, dict[str, Any]]:
    """The one job that runs the README's test command (through .ci/run)."""
    found = [
        (job_id, job)
        for wf in workflows().values()
        for job_id, job in wf["jobs"].items()
        if any("bash .ci/run" in run_lines(s) for s in steps(job))
    ]
    assert len(found) == 1, f"expected one job running `bash .ci/run`, found {len(found)}"
    return found[0]


def pages_jobs() -> dict[str, tuple[str, dict[str, Any]]]:
    """Jobs by the Pages action they use: configure-pages, upload-pages-artifact, deploy-pages."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for wf in workflows().values():
        for job_id, job in wf["jobs"].items():
            for step in steps(job):
                action = str(step.get("uses", "")).partition("@")[0]
                if action in PAGES_ACTIONS:
                    out[action.removeprefix("actions/")] = (job_id, job)
    return out


# --- the CI definition -----------------------------------------------------------------------


def test_there_is_one_ci_definition() -> None:
    files = workflow_files()
    assert [p.name for p in files] == ["ci.yml"], "one workflow runs tests and deploys"
    for wf in workflows().values():
        assert wf["jobs"]


def test_triggers_push_only_on_main_and_pull_requests() -> None:
    for name, wf in workflows().items():
        on = triggers(wf)
        assert "pull_request" in on, name
        # A push to any other branch would test a same-repository pull request a second time.
        assert on["push"]["branches"] == ["main"], name
        assert set(on) <= {"push", "pull_request", "workflow_dispatch"}, name


def test_ci_runs_the_readme_test_command() -> None:
    readme_test = quickstart_commands()[1]
    # .ci/run is the README's test command and nothing else (plus strict mode and a cd).
    assert ci_run_commands()[-1] == readme_test
    assert ci_run_commands()[:-1] == ["set -euo pipefail", 'cd "$(dirname "${BASH_SOURCE[0]}")/.."']
    job_id, job = the_test_job()
    (step,) = [s for s in steps(job) if "bash .ci/run" in run_lines(s)]
    assert run_lines(step) == ["bash .ci/run"], "the test step runs .ci/run alone"
    # Nothing in the job runs a subset of the suite beside it.
    for other in steps(job):
        for line in run_lines(other):
            assert not re.match(r"(pytest|ruff|mypy|mkdocs|spoilers)\b", line), (job_id, line)


def test_ci_uses_python_311_with_pip_cache_on_the_lock() -> None:
    _, job = the_test_job()
    (setup,) = [s for s in steps(job) if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert str(setup["with"]["python-version"]) == "3.11"
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == "requirements.lock"
    # scripts/serve builds .venv with that interpreter, not whichever python3.x comes first.
    (test_step,) = [s for s in steps(job) if "bash .ci/run" in run_lines(s)]
    assert test_step["env"]["PYTHON"] == "${{ steps." + setup["id"] + ".outputs.python-path }}"


def test_no_step_installs_a_browser() -> None:
    for name, job_id, step in all_steps():
        for line in run_lines(step):
            assert not re.search(r"\bapt(-get)?\b.*\binstall\b.*chrom", line), (name, job_id, line)
            assert not re.search(r"\bsnap\s+install\b", line), (name, job_id, line)
            assert "playwright install" not in line, (name, job_id, line)
        # The runner's own browser is found by scripts/find-browser, not configured here.
        assert "SPOILERS_CHROMIUM" not in (step.get("env") or {}), (name, job_id)


def test_every_action_is_pinned_to_a_sha_with_its_release() -> None:
    for path in workflow_files():
        found = uses_lines(path)
        parsed = [s for n, _, s in all_steps() if n == path.name and "uses" in s]
        assert len(found) == len(parsed), "a `uses:` hides from the line scan"
        for ref, comment in found:
            sha = ref.partition("@")[2]
            assert SHA.fullmatch(sha), f"{ref} is not pinned to a 40-hex commit SHA"
            assert VERSION_COMMENT.fullmatch(comment), f"{ref} lacks a `# vX.Y.Z` comment"


def test_same_action_pinned_to_the_same_release_everywhere() -> None:
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in workflow_files():
        for ref, comment in uses_lines(path):
            action, _, sha = ref.partition("@")
            pins.setdefault(action, set()).add((sha, comment))
    assert {a: p for a, p in pins.items() if len(p) > 1} == {}


def test_every_pin_is_recorded_with_its_node_runtime() -> None:
    """A new pin (say, from Dependabot) must be checked for Node 24 and recorded with its source."""
    facts = FACTS.read_text(encoding="utf-8")
    rows = {
        row.split("|")[3].strip().strip("`"): row
        for row in facts.splitlines()
        if row.startswith("| `actions/")
    }
    for path in workflow_files():
        for ref, comment in uses_lines(path):
            action, _, sha = ref.partition("@")
            row = rows.get(sha)
            assert row, (
                f"{ref} ({comment}) is not in {FACTS.relative_to(ROOT)}: check that the release "
                "runs on node24 (git show <tag>:action.yml) and record it there with its source"
            )
            assert f"`{action}`" in row and comment in row, row
            assert "node24" in row, f"{action} {comment} is not recorded as running on node24"


def test_deploy_waits_for_the_tests_and_runs_only_from_main() -> None:
    test_id, _ = the_test_job()
    jobs = next(wf["jobs"] for wf in workflows().values() if test_id in wf["jobs"])
    by_action = pages_jobs()
    assert set(by_action) == {"configure-pages", "upload-pages-artifact", "deploy-pages"}
    for action, (job_id, job) in by_action.items():
        assert test_id in upstream(jobs, job_id), f"{action} in `{job_id}` does not wait for tests"
        condition = str(job.get("if", ""))
        assert "github.ref == 'refs/heads/main'" in condition, job_id
        assert "pull_request" in condition, job_id  # and never for a pull request
    assert all(job_id != test_id for job_id, _ in by_action.values()), "tests run on PRs too"


def test_the_pages_build_checks_builds_strictly_and_audits() -> None:
    job_id, job = pages_jobs()["upload-pages-artifact"]
    st = steps(job)

    def index(pred: Any, what: str) -> int:
        hits = [i for i, s in enumerate(st) if pred(s)]
        assert len(hits) == 1, f"expected exactly one {what} step in `{job_id}`, found {len(hits)}"
        return hits[0]

    def uses(action: str) -> Any:
        return lambda s: str(s.get("uses", "")).startswith(f"actions/{action}@")

    def runs(pattern: str) -> Any:
        return lambda s: any(re.search(pattern, line) for line in run_lines(s))

    order = [
        index(uses("checkout"), "checkout"),
        index(uses("configure-pages"), "configure-pages"),
        index(runs(r"\bspoilers check\b"), "spoilers check"),
        index(runs(r"\bmkdocs build --strict\b"), "mkdocs build --strict"),
        index(runs(r"\bspoilers audit site/"), "spoilers audit"),
        index(uses("upload-pages-artifact"), "upload-pages-artifact"),
    ]
    assert order == sorted(order)
    configure, build, upload = st[order[1]], st[order[3]], st[order[5]]
    assert build["env"]["SITE_URL"] == "${{ steps." + configure["id"] + ".outputs.base_url }}/"
    assert upload["with"]["path"] == "site/"


def test_only_the_deploy_job_can_deploy() -> None:
    for name, wf in workflows().items():
        assert wf.get("permissions") == {}, f"{name}: grant permissions per job"
    deploy_id, deploy = pages_jobs()["deploy-pages"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    (step,) = steps(deploy)
    assert deploy["environment"]["url"] == "${{ steps." + step["id"] + ".outputs.page_url }}"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    for name, wf in workflows().items():
        for job_id, job in wf["jobs"].items():
            if job_id != deploy_id:
                granted = job.get("permissions") or {}
                assert "write" not in granted.values(), f"{name}: `{job_id}` writes {granted}"


def test_checkouts_do_not_keep_the_token() -> None:
    for name, job_id, step in all_steps():
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, (name, job_id)


def test_dependabot_watches_actions_and_pip() -> None:
    config = load_yaml(ROOT / ".github" / "dependabot.yml")
    assert config["version"] == 2
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(ecosystems) == {"github-actions", "pip"}
    for update in ecosystems.values():
        assert update["directory"] == "/"
        assert update["schedule"]["interval"]


# --- actionlint ------------------------------------------------------------------------------


def linters() -> list[tuple[str, list[str]]]:
    """(name, command) of each workflow linter available: jactionlint comes with the lock."""
    found = []
    jactionlint = shutil.which("jactionlint", path=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    if jactionlint:
        found.append(("jactionlint", [jactionlint, "--profile", "pedantic", "--strict-exit"]))
    actionlint = shutil.which("actionlint")
    if actionlint:
        found.append(("actionlint", [actionlint]))
    return found


def run_linter(command: list[str], cwd: Path, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, "--no-color", *files] if "jactionlint" in command[0] else [*command, *files],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def available_linters() -> list[tuple[str, list[str]]]:
    found = linters()
    if not any(name == "jactionlint" for name, _ in found):
        if os.environ.get("CI"):
            pytest.fail("jactionlint is missing: it comes with requirements.lock ([test] extra)")
        pytest.skip("no jactionlint here (install requirements.lock)")
    return found


def test_workflows_and_dependabot_are_lint_clean(
    available_linters: list[tuple[str, list[str]]],
) -> None:
    files = [str(p.relative_to(ROOT)) for p in workflow_files()]
    for name, command in available_linters:
        targets = files + ([".github/dependabot.yml"] if name == "jactionlint" else [])
        proc = run_linter(command, ROOT, *targets)
        assert proc.returncode == 0, f"{name}:\n{proc.stdout}\n{proc.stderr}"


def test_the_linter_can_fail(
    available_linters: list[tuple[str, list[str]]], tmp_path: Path
) -> None:
    # The defect issue 13 found: `push` on every branch plus `pull_request` runs twice.
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    text = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8")
    bad.write_text(text.replace("  push:\n    branches: [main]\n", "  push:\n"), encoding="utf-8")
    _, command = next(lint for lint in available_linters if lint[0] == "jactionlint")
    proc = run_linter(command, tmp_path, ".github/workflows/bad.yml")
    assert proc.returncode == 1
    assert "duplicate-triggers" in proc.stdout


# --- README, scripts, lock -------------------------------------------------------------------


def test_readme_quickstart_has_exactly_two_commands() -> None:
    assert quickstart_commands() == ["bash scripts/serve", "bash scripts/test"]


def test_readme_screenshot_is_outside_docs_and_exists() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    shots = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", text)
    assert shots, "README shows no screenshot"
    for shot in shots:
        # Outside docs/: a screenshot in docs/ would be published with the site.
        assert not shot.startswith("docs/"), shot
        assert (ROOT / shot).is_file(), shot


def test_readme_explains_turning_pages_on() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    deploying = text.split("## Deploying", 1)[1].split("\n## ", 1)[0]
    assert "Source: GitHub Actions" in deploying
    assert ".github/workflows/ci.yml" in deploying


SCRIPTS = sorted(p for p in (ROOT / "scripts").iterdir() if p.is_file())


@pytest.mark.parametrize(
    "path", [*SCRIPTS, ROOT / ".ci" / "run"], ids=lambda p: str(p.relative_to(ROOT))
)
def test_scripts_are_executable_bash(path: Path) -> None:
    assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    assert path.stat().st_mode & stat.S_IXUSR, f"{path.name} is not executable"
    proc = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_scripts_never_download_browsers(path: Path) -> None:
    code = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()[:1] != "#"]
    assert not any("playwright install" in ln for ln in code)


def lock_pins() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {
        canonicalize_name(name): version
        for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)
    }


def test_lock_has_hashes_and_records_its_command() -> None:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0]
    assert "uv pip compile pyproject.toml --extra test --generate-hashes" in header
    assert "-o requirements.lock" in header
    hashed = re.findall(r"^([A-Za-z0-9_.-]+)==\S+ \\\n +--hash=sha256:[0-9a-f]{64}", text, re.M)
    assert len(hashed) == len(lock_pins()), "every pin carries its hashes"


def test_lock_satisfies_every_pyproject_requirement() -> None:
    """A Dependabot bump of a pyproject.toml range must come with a regenerated lock."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = lock_pins()
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    for spec in wanted:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements.lock; regenerate the lock"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {req.name}=={pins[name]}, outside {req.specifier} "
            "(pyproject.toml); regenerate the lock with the command in its header"
        )
    for tool in ("pre-commit", "jactionlint", "pytest", "playwright", "ruff", "mypy"):
        assert tool in pins, tool


# --- templates and the pre-commit hook -------------------------------------------------------


def test_pull_request_checklist_asks_for_each_rule() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = [ln.lower() for ln in text.splitlines() if ln.lstrip().startswith("- [ ]")]
    for needle in [
        "sources",
        "own words",
        "10",
        "preview: true",
        "mkdocs serve",
        "disagreement",
        "spoilers check",
        "introduced",
    ]:
        assert any(needle in box for box in boxes), f"no checklist box mentions {needle!r}"


def test_issue_form_asks_for_the_film_without_spoilers() -> None:
    form = load_yaml(ROOT / ".github" / "ISSUE_TEMPLATE" / "request-a-film.yml")
    assert form["name"] and form["description"] and form["title"]
    assert form["labels"]
    fields = {item["id"]: item for item in form["body"] if "id" in item}

    def required(field_id: str) -> bool:
        return bool(fields[field_id].get("validations", {}).get("required", False))

    assert fields["film-title"]["type"] == "input" and required("film-title")
    assert fields["year"]["type"] == "input" and required("year")
    assert not required("director")
    assert fields["source-articles"]["type"] == "textarea"
    promise = fields["no-spoilers"]
    assert promise["type"] == "checkboxes"
    (option,) = promise["attributes"]["options"]
    assert "spoiler" in option["label"].lower()
    assert option["required"] is True


def test_pre_commit_hook_runs_spoilers_check_on_films_only() -> None:
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    (hook,) = [h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "spoilers-check"]
    entry = ROOT / hook["entry"]
    assert entry.is_file() and os.access(entry, os.X_OK), "the hook runs a script of this repo"
    assert hook["language"] in {"script", "unsupported_script"}
    assert re.search(hook["files"], "content/films/ballerina-2023.yml")
    assert not re.search(hook["files"], "docs/index.md")
    assert not re.search(hook["files"], "content/schema/film.schema.json")


def git(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.skipif(not (BIN / "pre-commit").exists(), reason="pre-commit comes with the lock")
def test_pre_commit_hook_works_in_a_clone_without_an_activated_venv(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)],
        check=True,
        capture_output=True,
    )
    # The working tree's hook files, in case they are not committed yet.
    for rel in (".pre-commit-config.yaml", "scripts/pre-commit-spoilers-check"):
        shutil.copy2(ROOT / rel, clone / rel)
    # The project's .venv stands in for the one `bash scripts/serve --setup-only` would create.
    (clone / ".venv").symlink_to(ROOT / ".venv")
    env = {
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",  # no activated virtualenv: no spoilers, no pre-commit on PATH
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    git(clone, "add", ".pre-commit-config.yaml", "scripts/pre-commit-spoilers-check", env=env)
    git(clone, "commit", "-q", "--allow-empty", "-m", "hook files", env=env)
    subprocess.run(
        [str(BIN / "pre-commit"), "install"], cwd=clone, env=env, check=True, capture_output=True
    )
    film = clone / "content" / "films" / "ballerina-2023.yml"
    film.write_text(film.read_text(encoding="utf-8") + "\ntitel: typo\n", encoding="utf-8")
    git(clone, "add", str(film), env=env)
    bad = git(clone, "commit", "-m", "a bad film", env=env)
    assert bad.returncode != 0, bad.stdout + bad.stderr
    assert "error[schema-unknown-key]" in bad.stdout + bad.stderr
    git(clone, "checkout", "HEAD", "--", str(film), env=env)
    (clone / "NOTES.txt").write_text("not a film\n", encoding="utf-8")
    git(clone, "add", "NOTES.txt", env=env)
    good = git(clone, "commit", "-m", "no film", env=env)
    assert good.returncode == 0, good.stdout + good.stderr


# --- editor set-up, code owners, licences ----------------------------------------------------


def jsonc(path: Path) -> Any:
    """VS Code's JSON with // comments (none of ours sits inside a string)."""
    import json

    text = "\n".join(re.sub(r"^\s*//.*$", "", ln) for ln in path.read_text("utf-8").splitlines())
    return json.loads(text)


def test_vscode_reads_film_files_like_spoilers_check() -> None:
    assert "redhat.vscode-yaml" in jsonc(ROOT / ".vscode" / "extensions.json")["recommendations"]
    settings = jsonc(ROOT / ".vscode" / "settings.json")
    # spoilers check parses YAML 1.1 (PyYAML); the editor must see the same implicit types.
    assert settings["yaml.yamlVersion"] == "1.1"
    schemas = settings["yaml.schemas"]
    film = "content/films/ballerina-2023.yml"
    matched = [
        schema
        for schema, globs in schemas.items()
        if any(Path(film).match(g) for g in ([globs] if isinstance(globs, str) else globs))
    ]
    assert len(matched) == 1, "exactly one schema for film files"
    assert (ROOT / matched[0]).is_file(), matched[0]


def test_codeowners_names_no_made_up_owner() -> None:
    path = ROOT / ".github" / "CODEOWNERS"
    rules = [
        ln.split()
        for ln in path.read_text("utf-8").splitlines()
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    for rule in rules:
        assert len(rule) >= 2, f"a rule without an owner: {rule}"
        for owner in rule[1:]:
            assert re.fullmatch(r"@[\w-]+(/[\w-]+)?|[^@\s]+@[^@\s]+", owner), owner
            assert "OWNER" not in owner, f"placeholder left in CODEOWNERS: {owner}"
    text = path.read_text("utf-8")
    assert "/content/" in text, "CODEOWNERS explains who reviews film texts"


def test_licences_are_stated() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert project["license"] == {"text": "MIT"}
    assert licence.startswith("MIT License\n")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Licences", 1)[1]
    assert "MIT" in section and "CC BY 4.0" in section and "content/films/" in section
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in contributing
