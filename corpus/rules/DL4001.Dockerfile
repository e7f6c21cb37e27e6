FROM debian:12
RUN wget -q https://example.com/a
# expect: DL4001
RUN curl -fsSLO https://example.com/b
RUN echo done
# expect: DL4001
RUN wget -q https://example.com/c
FROM debian:12
# Each stage starts afresh.
RUN curl -fsSLO https://example.com/a
RUN curl -fsSLO https://example.com/b
# Installing is not using.
RUN apt-get install -y wget
# expect: DL4001
RUN <<EOF
set -e
curl -fsSLO https://example.com/c
wget -q https://example.com/d
EOF
FROM debian:12
RUN wget -q https://example.com/a
# ONBUILD triggers are counted apart from the stage's own RUNs.
ONBUILD RUN curl -fsSLO https://example.com/b
RUN ["curl", "-fsSLO", "https://example.com/c"]
