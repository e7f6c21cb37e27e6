FROM debian:12
# expect: DL3003
RUN cd /usr/src/app && make install
# expect: DL3003
RUN apt-get update \
    && cd /tmp \
    && curl -fsSLO https://example.com/tool.tar.gz
# hadolint reports a cd inside a subshell too, and so does berth.
# expect: DL3003
RUN (cd /src && make)
# expect: DL3003
RUN <<EOF
set -e
cd /opt/tool
./configure
EOF
# expect: DL3003
RUN sh -c 'cd /srv && ls'
# expect: DL3003
ONBUILD RUN cd /app && npm ci
WORKDIR /usr/src/app
RUN make install
# Exec form runs no shell: not looked at.
RUN ["/bin/sh", "-c", "cd /x"]
# A word that merely contains cd is not the cd command.
RUN echo cd && abcd --help
# A heredoc that is data, not a script.
RUN cat <<EOF > /etc/motd
cd /somewhere
EOF
SHELL ["/bin/sh", "-c"]
# Fix offered: a leading `cd /absolute &&`, also across continuation lines.
# expect: DL3003
RUN cd /opt/app && ./configure && make
# expect: DL3003
run cd /srv \
    && npm ci \
    && npm run build
# No fix: relative or variable directory, flags, `;`, a comment inside.
# expect: DL3003
RUN cd src && make
# expect: DL3003
RUN cd "$HOME" && ls
# expect: DL3003
RUN --mount=type=cache,target=/root/.npm cd /app && npm ci
# expect: DL3003
RUN cd /app; make
# expect: DL3003
RUN cd /app \
# building
    && make
# A Windows drive path is absolute too: the fix moves it to WORKDIR.
# expect: DL3003
RUN cd C:/build && make
SHELL ["pwsh", "-Command"]
RUN cd C:\app; dotnet build
