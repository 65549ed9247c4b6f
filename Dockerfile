# Pasar Kampung: the production image (web, Celery worker and beat all run from it).
# docker-compose.yml shows how the services fit together; `make demo` is the laptop path.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=marketplace.settings

WORKDIR /app

RUN groupadd --system --gid 10001 pasar \
 && useradd --system --uid 10001 --gid pasar --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin pasar

# Dependencies first, in their own layer, so a code change does not reinstall them. They are read
# from pyproject.toml (the one list); the project itself runs from the source tree in /app
# (PYTHONPATH), because the built wheel carries no templates, static files, locale or data files.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY . .

# Translations (Babel, no GNU gettext needed) and static files for whitenoise. The SECRET_KEY here
# exists only for this step: settings refuse to load with DEBUG off and no long key.
RUN pybabel compile -d marketplace/locale -D django \
 && DEBUG=False \
    SECRET_KEY=build-only-collectstatic-key-never-used-at-runtime-0123456789 \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/media \
 && chown pasar:pasar /app/media

USER pasar

EXPOSE 8000

# /healthz checks database, cache, broker and search. The request names the first ALLOWED_HOSTS
# entry as Host and says it came through TLS (X-Forwarded-Proto), so neither ALLOWED_HOSTS nor
# SECURE_SSL_REDIRECT turns it away. Worker and beat switch this check off in docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; r = u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=8); raise SystemExit(r.status != 200)"]

CMD ["gunicorn", "marketplace.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
