FROM debian:12
RUN mkdir -p /app/data
# expect: DL3059
RUN chown 1000 /app/data
# A comment between the two does not separate them.
# expect: DL3059
RUN chmod 0750 /app/data
# Another instruction in between does.
WORKDIR /app
RUN echo one
ENV MODE=prod
# Two or more commands in either RUN: split on purpose.
RUN mkdir -p /srv && chown 1000 /srv
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN curl -fsSLo /tmp/x https://example.com/x
RUN touch /a && touch /b && touch /c
# Different flags keep them apart.
RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt
RUN pip check
# The same flags do not.
RUN --mount=type=cache,target=/root/.cache pip install flask
# expect: DL3059
RUN --mount=type=cache,target=/root/.cache pip install gunicorn
RUN python3 -V
# Exec form counts as one command.
# expect: DL3059
RUN ["/usr/bin/env", "python3", "-m", "compileall", "/app"]
# A heredoc script with many commands.
RUN <<EOF
set -e
useradd app
chown -R app /app
EOF
RUN ls /app
# expect: DL3059
RUN <<EOF
ls -l /app
EOF
ONBUILD RUN echo hi
RUN echo after onbuild

FROM debian:12
RUN echo new stage
SHELL ["pwsh", "-Command"]
RUN Write-Host a
RUN Write-Host b
