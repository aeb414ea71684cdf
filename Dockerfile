# shopmcp: the HTTP server on port 3300 and its four MCP servers (stdio subprocesses).
# Build: docker build -t shopmcp .    Run: docker compose up (see docs/deployment.md)

# -- build: the package and its dependencies, installed into a virtual environment ---------------
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src

# The dependencies (google-re2 included) ship manylinux wheels for CPython 3.11 on amd64 and arm64,
# so nothing is compiled. README.md is the package's readme (pyproject.toml).
COPY pyproject.toml README.md ./
COPY shopmcp ./shopmcp
COPY grammar ./grammar
COPY engine ./engine
COPY commerce ./commerce
COPY mcp_servers ./mcp_servers
COPY server ./server
COPY dialogue ./dialogue
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install . \
    && /opt/venv/bin/pip uninstall --yes pip

# -- run: the environment and the patterns; no pip step, no sources, no build files ---------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH

COPY --from=build /opt/venv /opt/venv

WORKDIR /app

# The pattern files are data, not part of the package; the intent server hot-reloads them, so a
# volume mounted over /app/patterns changes the patterns without a rebuild.
COPY patterns ./patterns

RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin shopmcp \
    && mkdir -p /data \
    && chown shopmcp:shopmcp /data

# The installed package cannot find ./patterns and ./data next to itself: name them.
ENV SHOPMCP_PATTERNS=/app/patterns \
    SHOPMCP_DATA_DIR=/data \
    SHOPMCP_HOST=0.0.0.0 \
    PORT=3300

# The embedded shop, the outbox, the payment-link secret and the AI answer records.
VOLUME ["/data"]

USER shopmcp
EXPOSE 3300

# slim has no curl: Python asks /health, which answers 503 (an error for urlopen) while an MCP
# server or Redis is down. Compiling the pattern set takes 15-30 s at start.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '3300'), timeout=4)"]

CMD ["shopmcp", "serve"]
