FROM python:3.12-slim AS api
# expect: DL3025
CMD gunicorn --bind 0.0.0.0:8000 app:wsgi
# expect: DL3025
cmd python manage.py runserver
# expect: DL3025
CMD python -m http.server "$PORT"
# expect: DL3025
CMD exec gunicorn app:wsgi
# expect: DL3025
CMD ['python', 'app.py']
# expect: DL3025
CMD DEBUG=1 python app.py
# expect: DL3025
ONBUILD CMD python app.py
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:wsgi"]
CMD []

FROM debian:12-slim AS worker
# expect: DL3025
ENTRYPOINT /usr/local/bin/worker --queue default
# expect: DL3025
CMD worker start && \
    echo done

FROM worker AS worker-debug
# Inherits an ENTRYPOINT from `worker`, which receives CMD as arguments: unsafe fix.
# expect: DL3025
CMD /usr/local/bin/worker --debug

FROM alpine:3.20 AS tini
ENTRYPOINT ["tini", "--"]
# expect: DL3025
CMD /usr/local/bin/server --port 8080

FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
SHELL ["powershell", "-Command"]
# expect: DL3025
CMD Start-Service w3svc
# HEALTHCHECK CMD in shell form is fine: it runs briefly and gets no stop signal (hadolint reports it).
HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1
