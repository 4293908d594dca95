# Hospital Ops: one image for the web server, the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The apps run from /app, where templates/ and static/ sit next to them; the installed copy
    # provides the dependencies, and this keeps /app first on the import path for every process.
    PYTHONPATH=/app \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

# WeasyPrint renders report PDFs with Pango; procps gives the beat healthcheck its pgrep.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core procps \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --uid 1000 hospital
WORKDIR /app

COPY . .
RUN pip install . \
    && DEBUG=0 SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown -R hospital:hospital /app/media

USER hospital
EXPOSE 8000

# WhiteNoise serves /static/ from STATIC_ROOT; put any TLS-terminating proxy in front of port 8000.
CMD ["gunicorn", "hospital_ops.wsgi", "-b", "0.0.0.0:8000", "--workers", "3"]
