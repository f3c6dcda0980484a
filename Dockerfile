FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY seal_platform ./seal_platform
COPY experts ./experts
COPY annotation ./annotation
COPY leaderboards ./leaderboards
COPY manage.py ./
RUN pip install --no-cache-dir . && DEBUG=true python manage.py collectstatic --no-input
EXPOSE 8000
CMD ["gunicorn", "seal_platform.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
