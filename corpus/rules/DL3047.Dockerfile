FROM debian:12
# expect: DL3047
RUN wget https://example.com/tool.tar.gz
# expect: DL3047
RUN wget -O /tmp/tool.tar.gz https://example.com/tool.tar.gz && \
    tar -xzf /tmp/tool.tar.gz
# expect: DL3047
RUN sh -c 'wget -c -nc https://example.com/a'
# expect: DL3047
ONBUILD RUN wget https://example.com/b
RUN wget --progress=dot:giga https://example.com/tool.tar.gz
RUN wget -q https://example.com/a && wget --quiet https://example.com/b
RUN wget -qO- https://example.com/key.asc > /tmp/key.asc
RUN wget -nv https://example.com/a && wget --no-verbose https://example.com/b
RUN wget -o /tmp/wget.log https://example.com/a && wget -a /tmp/wget.log https://example.com/b
RUN ["wget", "https://example.com/a"]
FROM alpine:3.20
# BusyBox wget has no --progress: no fix offered.
# expect: DL3047
RUN wget https://example.com/tool.tar.gz
