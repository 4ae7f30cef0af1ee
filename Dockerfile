FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 APP_ENV=production
WORKDIR /app

COPY pyproject.toml constraints.txt README.md ./
COPY directory ./directory
RUN pip install --no-cache-dir -c constraints.txt .

COPY migrations ./migrations
COPY seeds ./seeds
COPY wsgi.py gunicorn.conf.py ./

RUN useradd --create-home --uid 1000 directory && mkdir -p /data/media \
    && chown directory /data/media
USER directory
EXPOSE 8000

# Migrate before serving, then run gunicorn.
CMD ["sh", "-c", "flask --app wsgi db upgrade && exec gunicorn --config gunicorn.conf.py --bind 0.0.0.0:8000 --access-logfile - wsgi:app"]
