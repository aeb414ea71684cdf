"""Dockerfile, docker-compose.yml, .dockerignore and docs/deployment.md, checked without Docker (no
engine here): the compose file is valid against the Compose specification's JSON schema and sets
every setting with values Settings accepts, the image is built in one stage and runs from another
without build tools, as a non-root user, with a health check, and `pip install .` ships every file
the packages read at run time."""

from __future__ import annotations

import copy
import fnmatch
import json
import re
import tomllib

import jsonschema
import pytest
import yaml

from shopmcp.settings import PROJECT_ROOT, Settings

DOCKERFILE = (PROJECT_ROOT / "Dockerfile").read_text("utf-8")
COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text("utf-8"))
DEPLOYMENT = (PROJECT_ROOT / "docs" / "deployment.md").read_text("utf-8")
PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))


def setting_variables() -> set[str]:
    source = (PROJECT_ROOT / "shopmcp" / "settings.py").read_text("utf-8")
    names = set(re.findall(r'\be(?:\.get\(|\[)"([A-Z][A-Z0-9_]+)"', source))
    names |= set(re.findall(r'_(?:int|float|bool|str|choice)\(\s*e,\s*"([A-Z][A-Z0-9_]+)"', source))
    assert len(names) > 30, names
    return names


def stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile's stages, each a list of (INSTRUCTION, arguments), continuations joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    out: list[list[tuple[str, str]]] = []
    for line in joined.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, rest = line.strip().partition(" ")
        if name == "FROM":
            out.append([])
        out[-1].append((name, rest.strip()))
    return out


def instructions(name: str, stage: int | None = None) -> list[str]:
    """The arguments of every `name` instruction, in one stage (index) or in all of them."""
    chosen = stages() if stage is None else [stages()[stage]]
    return [rest for lines in chosen for instruction, rest in lines if instruction == name]


BUILD_TOOLS = re.compile(
    r"\b(pip3?|python -m pip) install\b|\bapt(-get)? install\b|\b(gcc|g\+\+|make|build-essential)\b"
)


def test_the_image_is_built_in_one_stage_and_runs_from_another() -> None:
    build, run = stages()
    assert build[0] == ("FROM", "python:3.11-slim AS build")
    assert run[0] == ("FROM", "python:3.11-slim")
    assert any("pip install ." in rest for rest in instructions("RUN", 0))
    assert "--from=build /opt/venv /opt/venv" in instructions("COPY", 1)
    assert "PATH=/opt/venv/bin:$PATH" in " ".join(instructions("ENV", 1))


def test_the_final_stage_has_no_build_tools_and_no_sources() -> None:
    for rest in instructions("RUN", 1):
        assert not BUILD_TOOLS.search(rest), rest
    # pip leaves the environment once it has installed the package
    assert any("pip uninstall --yes pip" in rest for rest in instructions("RUN", 0))
    copied = [c.split()[0] for c in instructions("COPY", 1) if not c.startswith("--from")]
    assert copied == ["patterns"]


def test_the_image_runs_shopmcp_serve_as_a_non_root_user_on_3300() -> None:
    users = instructions("USER", 1)
    assert users and users[-1] not in {"root", "0", "0:0"}
    run = [instruction for instruction, _ in stages()[1]]
    assert run.index("USER") > max(i for i, name in enumerate(run) if name == "RUN")
    assert instructions("EXPOSE", 1) == ["3300"]
    assert instructions("CMD", 1) == ['["shopmcp", "serve"]']
    env = " ".join(instructions("ENV", 1))
    assert "SHOPMCP_PATTERNS=/app/patterns" in env and "SHOPMCP_DATA_DIR=/data" in env


def test_the_image_has_a_health_check_on_the_health_endpoint() -> None:
    (healthcheck,) = instructions("HEALTHCHECK", 1)
    assert "--start-period=" in healthcheck and "--interval=" in healthcheck
    assert "/health" in healthcheck and "urllib" in healthcheck and "curl" not in healthcheck


def test_the_dockerfile_copies_every_package_and_the_patterns() -> None:
    local = [c for c in instructions("COPY") if not c.startswith("--from")]
    copied = {c.split()[0] for c in local} | {part for c in local for part in c.split()[:-1]}
    packages = {
        p.rstrip("*") for p in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    assert packages | {"patterns", "pyproject.toml", "README.md"} <= copied
    for source in copied:
        assert (PROJECT_ROOT / source).exists(), source
    ignored = [
        line.strip()
        for line in (PROJECT_ROOT / ".dockerignore").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for source in copied:
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), source


def test_pip_install_ships_every_data_file_the_packages_read() -> None:
    """`pip install .` (the image) copies only .py files and `package-data`; the editable install
    of `make run` reads the tree and would not notice a missing glob."""
    setuptools = PYPROJECT["tool"]["setuptools"]
    package_data: dict[str, list[str]] = setuptools.get("package-data", {})
    missing = []
    for include in setuptools["packages"]["find"]["include"]:
        top = include.rstrip("*")
        for path in (PROJECT_ROOT / top).rglob("*"):
            if not path.is_file() or path.suffix in {".py", ".pyc"} or "__pycache__" in path.parts:
                continue
            relative = path.relative_to(PROJECT_ROOT / top).as_posix()
            globs = package_data.get(top, []) + package_data.get("*", [])
            if not any(fnmatch.fnmatch(relative, g) for g in globs):
                missing.append(f"{top}/{relative}")
    assert not missing, (
        "not installed by `pip install .`; add them to [tool.setuptools.package-data] in "
        f"pyproject.toml: {missing}"
    )


def _resolve(value: object) -> str:
    """`${VAR:-default}` as compose resolves it with VAR unset, nested defaults included."""
    text, previous = str(value), None
    while text != previous:  # the innermost `${...}` first
        previous = text
        text = re.sub(
            r"\$\{\w+(?::?-([^${}]*))?(?::?\?[^${}]*)?\}", lambda m: m.group(1) or "", text
        )
    return text


def compose_schema() -> dict:
    """tests/data/compose-spec.json (see tests/data/README.md), with the top-level `name` that the
    specification added after that snapshot."""
    schema = json.loads((PROJECT_ROOT / "tests" / "data" / "compose-spec.json").read_text("utf-8"))
    schema = copy.deepcopy(schema)
    schema["properties"].setdefault("name", {"type": "string"})
    return schema


def test_compose_is_valid_against_the_compose_specification() -> None:
    schema = compose_schema()
    validator = jsonschema.Draft201909Validator(schema)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(COMPOSE)]
    assert errors == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        pytest.param(("services", "shopmcp", "restart"), ["always"], id="restart-not-a-string"),
        pytest.param(("services", "shopmcp", "healthcheck", "retries"), "many", id="bad-retries"),
        pytest.param(("services", "shopmcp", "ports_typo"), ["3300:3300"], id="unknown-key"),
        pytest.param(("services", "redis", "depends_on"), {"x": {}}, id="no-condition"),
    ],
)
def test_the_schema_catches_a_broken_compose_file(path: tuple[str, ...], value: object) -> None:
    broken = copy.deepcopy(COMPOSE)
    node = broken
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    assert not jsonschema.Draft201909Validator(compose_schema()).is_valid(broken)


def test_the_public_url_follows_the_published_port() -> None:
    public = COMPOSE["services"]["shopmcp"]["environment"]["SHOPMCP_PUBLIC_URL"]
    assert public == "${SHOPMCP_PUBLIC_URL:-http://localhost:${SHOPMCP_HOST_PORT:-3300}}"
    assert _resolve(public) == "http://localhost:3300"


def test_compose_runs_redis_7_and_sets_every_setting() -> None:
    services = COMPOSE["services"]
    assert services["redis"]["image"].startswith("redis:7")
    assert "healthcheck" in services["redis"]
    app = services["shopmcp"]
    assert app["build"] == "."
    assert app["depends_on"]["redis"]["condition"] == "service_healthy"
    assert any(str(p).endswith(":3300") for p in app["ports"])
    assert any(str(v).endswith(":/data") for v in app["volumes"])
    environment = {k: _resolve(v) for k, v in app["environment"].items()}
    assert setting_variables() <= set(environment), setting_variables() - set(environment)
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    settings = Settings.from_env(environment)  # the defaults are values the server accepts
    assert settings.port == 3300 and str(settings.data_dir) == "/data"
    assert settings.admin_api_key is None and settings.business_api_url is None


def test_deployment_doc_names_every_variable_and_the_verification_note() -> None:
    missing = sorted(v for v in setting_variables() if f"`{v}`" not in DEPLOYMENT)
    assert not missing, missing
    assert "no Docker engine" in DEPLOYMENT
    assert "REDIS_URL" in DEPLOYMENT.split("### Several workers")[1]
