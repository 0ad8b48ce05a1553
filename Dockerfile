# Doorbraak: the production image (docs/deploy.md). Built with the same `make install` and pinned
# requirements as a developer's machine: requirements/base.txt only (no test tools; the demo
# commands in it refuse to run outside demo mode). Needs no network at run time: Python packages, the Utrecht NL Design System stylesheets
# and the API documentation's scripts are all inside; the static files are collected at start.
#
#   docker build -t doorbraak:1.0 .      (the build fetches from PyPI, npm and Debian once)

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY Makefile pyproject.toml README.md package.json package-lock.json ./
COPY requirements/ requirements/
COPY src/ src/
# A .venv with requirements/base.txt and doorbraak itself, node_modules from package-lock.json.
RUN make install PYTHON=python3 \
 && find /app -name __pycache__ -prune -exec rm -rf {} +

FROM ${PYTHON_IMAGE}
# Run-time libraries: Pango for WeasyPrint (PDF exports), OpenMP for LightGBM, the PostgreSQL
# client for pg_dump / pg_restore (backups, docs/deploy.md).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core libgomp1 postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin doorbraak \
 && mkdir -p /var/lib/doorbraak \
 && chown doorbraak:doorbraak /var/lib/doorbraak
COPY --from=build --chown=root:root /app /app
WORKDIR /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DOORBRAAK_VAR_DIR=/var/lib/doorbraak \
    DOORBRAAK_BIND=0.0.0.0:8000 \
    HOME=/tmp
# Not root; the code is read-only for this user, only the var directory (a volume) is writable.
USER doorbraak:doorbraak
VOLUME ["/var/lib/doorbraak"]
EXPOSE 8000
# The health endpoint answers over plain http (exempt from the https redirect); the Host header
# must be one of DOORBRAAK_ALLOWED_HOSTS.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD \
  python -c "import os, urllib.request; host = os.environ.get('DOORBRAAK_ALLOWED_HOSTS', 'localhost').split(',')[0]; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/gezondheid/', headers={'Host': host}), timeout=8)"
CMD ["doorbraak", "serve"]
