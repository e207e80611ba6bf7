"""Repository plumbing: workflows, scripts, README quickstart, templates, pre-commit.

These tests read files only; they need neither the package nor a browser.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[Any, Any]) -> Any:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    assert "on" in workflow or True in workflow, "workflow has no `on:` triggers"
    return workflow.get("on", workflow.get(True))


def workflow(name: str) -> dict[Any, Any]:
    data = load_yaml(WORKFLOWS / name)
    assert isinstance(data, dict)
    return data


def run_of(step: dict[str, Any]) -> str:
    return str(step.get("run", ""))


def all_steps(wf: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in wf["jobs"].values() for step in job.get("steps", [])]


def uses_lines(path: Path) -> list[tuple[str, str]]:
    """(action reference, trailing comment) for every `uses:` line in the raw file."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(#.*)?$", line)
        if m:
            found.append((m.group(1), (m.group(2) or "").lstrip("# ").strip()))
    return found


# --- workflows -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_workflow_parses_with_triggers_and_jobs(name: str) -> None:
    wf = workflow(name)
    assert triggers(wf)
    assert wf["jobs"]


def test_ci_triggers_on_pull_request_and_push() -> None:
    on = triggers(workflow("ci.yml"))
    assert "pull_request" in on
    assert "push" in on


def test_ci_has_one_check_job_on_python_311() -> None:
    wf = workflow("ci.yml")
    assert list(wf["jobs"]) == ["check"]
    job = wf["jobs"]["check"]
    assert job["runs-on"] == "ubuntu-latest"
    setup_python = [s for s in job["steps"] if "actions/setup-python@" in s.get("uses", "")]
    assert len(setup_python) == 1
    assert str(setup_python[0]["with"]["python-version"]) == "3.11"


def test_ci_steps_in_order_with_expected_commands() -> None:
    steps = workflow("ci.yml")["jobs"]["check"]["steps"]
    # Steps are grouped by the part of their name before ":" ("Set up: check out" is part of
    # the "Set up" phase, since checkout and setup-python must be separate `uses:` steps).
    phases: list[str] = []
    for step in steps:
        phase = step["name"].split(":")[0].strip()
        if not phases or phases[-1] != phase:
            phases.append(phase)
    assert phases == [
        "Set up",
        "Check content",
        "Tests",
        "Build site",
        "Audit site",
        "Upload site",
    ]
    by_name = {step["name"]: step for step in steps}

    setup_uses = [s.get("uses", "") for s in steps if s["name"].startswith("Set up")]
    assert any(u.startswith("actions/checkout@") for u in setup_uses)
    assert any(u.startswith("actions/setup-python@") for u in setup_uses)
    install = run_of(by_name["Set up"])
    assert "pip install -r requirements.lock && pip install --no-deps -e ." in install
    assert "apt-get install -y chromium" in install
    assert "playwright install" not in install

    assert run_of(by_name["Check content"]).strip() == "spoilers check --format github"

    tests = by_name["Tests"]
    assert run_of(tests).strip().splitlines()[-1].strip() == "pytest"
    assert tests["env"]["SPOILERS_CHROMIUM"] == "/usr/bin/chromium"
    assert "SPOILERS_SEEDS_DIR" in run_of(tests)

    assert run_of(by_name["Build site"]).strip() == "mkdocs build --strict"
    assert run_of(by_name["Audit site"]).strip() == "spoilers audit site/"

    upload = by_name["Upload site"]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["name"] == "site"
    assert upload["with"]["path"] == "site/"


def test_deploy_triggers_permissions_and_concurrency() -> None:
    wf = workflow("deploy.yml")
    on = triggers(wf)
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    assert wf["permissions"] == {"pages": "write", "id-token": "write", "contents": "read"}
    assert wf["concurrency"]["group"] == "pages"


def test_deploy_build_job_order() -> None:
    wf = workflow("deploy.yml")
    steps = wf["jobs"]["build"]["steps"]

    def index(pred: Any, what: str) -> int:
        hits = [i for i, s in enumerate(steps) if pred(s)]
        assert len(hits) == 1, f"expected exactly one {what} step, found {len(hits)}"
        return hits[0]

    def uses(action: str) -> Any:
        return lambda s: s.get("uses", "").startswith(f"actions/{action}@")

    def runs(prefix: str) -> Any:
        return lambda s: run_of(s).strip().startswith(prefix)

    order = [
        index(uses("checkout"), "checkout"),
        index(uses("setup-python"), "setup-python"),
        index(runs("pip install -r requirements.lock"), "install"),
        index(uses("configure-pages"), "configure-pages"),
        index(runs("spoilers check"), "spoilers check"),
        index(runs("mkdocs build --strict"), "mkdocs build"),
        index(runs("spoilers audit site/"), "spoilers audit"),
        index(uses("upload-pages-artifact"), "upload-pages-artifact"),
    ]
    assert order == sorted(order)

    configure = steps[order[3]]
    assert configure["id"] == "pages"
    build = steps[order[5]]
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert steps[order[7]]["with"]["path"] == "site/"


def test_deploy_job_deploys_pages() -> None:
    job = workflow("deploy.yml")["jobs"]["deploy"]
    assert job["needs"] == "build"
    assert job["environment"]["name"] == "github-pages"
    assert job["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    (step,) = job["steps"]
    assert step["uses"].startswith("actions/deploy-pages@")
    assert step["id"] == "deployment"


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_every_action_is_pinned_to_a_commit_sha(name: str) -> None:
    path = WORKFLOWS / name
    found = uses_lines(path)
    assert found
    # Same count as the parsed steps: no `uses:` hides from the line scan.
    assert len(found) == sum("uses" in s for s in all_steps(workflow(name)))
    for ref, comment in found:
        assert SHA_PIN.match(ref), f"{ref} is not pinned to a 40-hex commit SHA"
        assert re.fullmatch(r"v\d+(\.\d+)*", comment), f"{ref} lacks a `# vX.Y.Z` comment"


def test_same_action_pinned_to_the_same_sha_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS.glob("*.yml"):
        for ref, _ in uses_lines(path):
            action, _, sha = ref.partition("@")
            pins.setdefault(action, set()).add(sha)
    assert {a: s for a, s in pins.items() if len(s) > 1} == {}


# --- README quickstart and CI entry point ----------------------------------------------------


def quickstart_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quickstart\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert section, "README has no `## Quickstart` section"
    blocks = re.findall(r"^```bash\n(.*?)^```", section.group(1), re.M | re.S)
    assert len(blocks) == 1, "Quickstart should have exactly one bash block"
    return [line for line in blocks[0].splitlines() if line.strip()]


def test_readme_quickstart_has_exactly_two_commands() -> None:
    assert quickstart_commands() == ["bash scripts/serve", "bash scripts/test"]


def test_ci_run_ends_with_the_readme_test_command() -> None:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    code = [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]
    assert code[-1] == quickstart_commands()[1]
    # Nothing else but strict mode and a cd to the repository root.
    assert code[:-1] == ["set -euo pipefail", 'cd "$(dirname "${BASH_SOURCE[0]}")/.."']


def test_readme_mentions_the_screenshot_and_pages_setup() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    shots = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", text)
    assert shots, "README shows no screenshot"
    for shot in shots:
        # Outside docs/: a screenshot in docs/ would be published with the site.
        assert not shot.startswith("docs/"), shot
        assert (ROOT / shot).is_file(), shot
    assert "Source: GitHub Actions" in text
    assert "CONTRIBUTING.md" in text


@pytest.mark.parametrize("rel", ["scripts/serve", "scripts/test", ".ci/run"])
def test_scripts_are_executable_bash(rel: str) -> None:
    path = ROOT / rel
    assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    assert path.stat().st_mode & stat.S_IXUSR, f"{rel} is not executable"
    assert os.access(path, os.X_OK)


def test_scripts_never_download_playwright_browsers() -> None:
    for rel in ["scripts/serve", "scripts/test"]:
        text = (ROOT / rel).read_text(encoding="utf-8")
        code = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
        assert "playwright install" not in code
    assert "SPOILERS_CHROMIUM" in (ROOT / "scripts" / "test").read_text(encoding="utf-8")


def test_lock_has_hashes_and_records_its_command() -> None:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert "uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11" in (
        text
    )
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==", text, re.M)
    assert {"mkdocs", "mkdocs-material", "pytest", "playwright", "ruff", "mypy"} <= set(pins)
    assert text.count("--hash=sha256:") >= len(pins)


# --- templates and hooks ---------------------------------------------------------------------


def test_pull_request_template_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    lowered = text.lower()
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
        assert needle in lowered, f"PR template does not mention {needle!r}"
    assert lowered.count("- [ ]") >= 6


def test_issue_form_parses_with_required_inputs() -> None:
    form = load_yaml(ROOT / ".github" / "ISSUE_TEMPLATE" / "request-a-film.yml")
    assert form["name"]
    assert form["description"]
    assert form["title"] == "Film request: "
    assert form["labels"] == ["film-request"]
    fields = {item["id"]: item for item in form["body"] if "id" in item}

    def required(field_id: str) -> bool:
        return bool(fields[field_id].get("validations", {}).get("required", False))

    assert fields["film-title"]["type"] == "input" and required("film-title")
    assert fields["year"]["type"] == "input" and required("year")
    assert not required("director")
    assert not required("where-to-watch")
    assert fields["source-articles"]["type"] == "textarea"
    (option,) = fields["no-spoilers"]["attributes"]["options"]
    assert fields["no-spoilers"]["type"] == "checkboxes"
    assert option["label"] == "I have not pasted spoilers into this request"
    assert option["required"] is True


def test_pre_commit_runs_spoilers_check_on_content() -> None:
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    local_hooks = [
        hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]
    ]
    matches = [hook for hook in local_hooks if hook["id"] == "spoilers-check"]
    assert len(matches) == 1
    hook = matches[0]
    assert hook["entry"] == "spoilers check"
    assert hook["language"] == "system"
    assert hook["files"] == "^content/films/"
    assert hook["pass_filenames"] is True
    assert re.search(hook["files"], "content/films/ballerina-2023.yml")
    assert not re.search(hook["files"], "docs/index.md")


def test_contributing_keeps_the_codes_marker() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "<!-- codes: keep in sync with diagnostics.py" in text
    assert "# yaml-language-server: $schema=../schema/film.schema.json" in text
