FROM debian:12
# expect: DL3046
RUN useradd -u 100000 app
# expect: DL3046
RUN groupadd -g 1000001 app && useradd --uid=1000001 -g app -m app
# expect: DL3046
RUN useradd -mu 2000000 -s /bin/bash app
ARG APP_UID=123456
# expect: DL3046
RUN useradd --uid "${APP_UID}" app
# expect: DL3046
RUN <<EOF
set -e
useradd -r -u100001 svc
EOF
# Small UIDs add little; -l given; UID not known.
RUN useradd -u 1000 app
RUN useradd -l -u 100000 app
RUN useradd --no-log-init --uid 100000 app
RUN useradd -lmu 100000 app
RUN useradd -u "$HOST_UID" app
RUN useradd -c "user 1234567" app
RUN adduser --uid 100000 app
