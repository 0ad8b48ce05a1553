"""The deployment files agree with the code: every setting read from the environment is
documented (settings.py's header and docs/deploy.md), the image and compose file run what the
docs say, and the production image installs the runtime requirements only."""

from __future__ import annotations

import re

import yaml

from .helpers import ROOT

SETTINGS = (ROOT / "src" / "doorbraak" / "settings.py").read_text()
DEPLOY = (ROOT / "docs" / "deploy.md").read_text()
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _read_vars() -> set[str]:
    return set(re.findall(r'(?:env_flag|env_list|environ\.get)\(\s*"([A-Z_]+)"', SETTINGS)) | {
        "DATABASE_URL"
    }


def test_every_environment_setting_is_documented():
    header = SETTINGS.split('"""')[1]
    read = _read_vars()
    assert len(read) > 15
    for name in sorted(read):
        assert name in header, f"{name} is read by settings.py but not described at its top"
        stem = re.sub(r"_(BURST|PROBE|LOOKBACK)_[A-Z_]+$", "_", name)
        assert (
            name in DEPLOY or stem in DEPLOY or name in ("DOORBRAAK_DEBUG", "DOORBRAAK_DEMO_MODE")
        ), f"{name} is not in docs/deploy.md"


def test_env_example_names_only_real_settings():
    example = (ROOT / "deploy" / "doorbraak.env.example").read_text()
    named = set(re.findall(r"^#?\s*(DOORBRAAK_[A-Z_]+)=", example, re.M))
    assert named and named <= _read_vars()
    assert {
        "DOORBRAAK_SECRET_KEY",
        "DOORBRAAK_ALLOWED_HOSTS",
        "DOORBRAAK_CSRF_TRUSTED_ORIGINS",
    } <= named
    assert re.search(r"^DOORBRAAK_SECRET_KEY=$", example, re.M)  # no key handed out


def test_compose_runs_postgres_web_and_worker():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["web"]["command"] == ["doorbraak", "serve"]
    assert services["worker"]["command"] == ["doorbraak", "worker"]
    assert services["migrate"]["command"][:2] == ["doorbraak", "migrate"]
    # The database and the worker have no way out; only the web port is published, on the loopback.
    assert compose["networks"]["backend"]["internal"] is True
    assert services["db"]["networks"] == ["backend"] and services["worker"]["networks"] == [
        "backend"
    ]
    assert all(p.startswith("127.0.0.1:") for p in services["web"]["ports"])


def test_dockerfile_debian_python_non_root_runtime_requirements_only():
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.\d+-slim-bookworm$", DOCKERFILE, re.M)
    assert "RUN make install " in DOCKERFILE
    assert "install-demo" not in DOCKERFILE and "install-test" not in DOCKERFILE
    user = re.findall(r"^USER (\S+)", DOCKERFILE, re.M)
    assert user and not user[-1].startswith(("root", "0"))
    assert re.search(r'^CMD \["doorbraak", "serve"\]$', DOCKERFILE, re.M)
    makefile = (ROOT / "Makefile").read_text()
    install = re.search(r"^install: (.*)$", makefile, re.M).group(1)
    assert ".base-installed" in install and "demo" not in install and "test" not in install
    base = (ROOT / "requirements" / "base.txt").read_text()
    assert not re.search(r"^(pytest|factory-boy|playwright)==", base, re.M)
