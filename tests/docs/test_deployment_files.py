"""Dockerfile, docker-compose.yml, .dockerignore and docs/deployment.md, checked without Docker (no
engine here): the compose file parses and sets every setting with values Settings accepts, the
Dockerfile has its key lines, and `pip install .` ships every file the packages read at run time."""

from __future__ import annotations

import fnmatch
import re
import tomllib

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


def instructions(name: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(name + " ")]


def test_the_dockerfile_runs_shopmcp_serve_as_a_non_root_user_on_3300() -> None:
    assert instructions("FROM") == ["python:3.11-slim"]
    users = instructions("USER")
    assert users and users[-1] not in {"root", "0", "0:0"}
    assert DOCKERFILE.index("USER ") > DOCKERFILE.index("pip install")
    assert instructions("EXPOSE") == ["3300"]
    (healthcheck,) = instructions("HEALTHCHECK")
    assert "/health" in healthcheck and "urllib" in healthcheck and "curl" not in healthcheck
    assert instructions("CMD") == ['["shopmcp", "serve"]']
    assert any(r.startswith("pip install .") for r in instructions("RUN"))
    env = " ".join(instructions("ENV"))
    assert "SHOPMCP_PATTERNS=/app/patterns" in env and "SHOPMCP_DATA_DIR=/data" in env


def test_the_dockerfile_copies_every_package_and_the_patterns() -> None:
    copied = {c.split()[0] for c in instructions("COPY")} | {
        part for c in instructions("COPY") for part in c.split()[:-1]
    }
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
    """`${VAR:-default}` as compose resolves it with VAR unset."""
    return re.sub(r"\$\{\w+(?::?-([^}]*))?(?::?\?[^}]*)?\}", lambda m: m.group(1) or "", str(value))


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
