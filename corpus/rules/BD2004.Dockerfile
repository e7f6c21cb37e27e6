# expect: BD2004
FROM node:20 build
FROM node:20 AS deps
# expect: BD2004
FROM node:20 AS
# expect: BD2004
FROM node:20 AS web extra
from node:20 as lower
# expect: BD2004
COPY package.json
COPY package.json ./
COPY ["package.json", "yarn.lock", "./"]
# expect: BD2004
COPY ["package.json"]
COPY <<EOF /app/config.json
{}
EOF
# expect: BD2004
COPY <<EOF
not a destination
EOF
COPY --from=deps /app/node_modules /app/node_modules
# expect: BD2004
COPY --from=deps
# expect: BD2004
USER app staff
USER app:staff
USER "app"
# expect: BD2004
WORKDIR /srv/my app
WORKDIR "/srv/with space"
WORKDIR /srv/app
# expect: BD2004
STOPSIGNAL SIGTERM SIGKILL
STOPSIGNAL SIGQUIT
# expect: BD2004
HEALTHCHECK curl -f http://localhost/ || exit 1
# expect: BD2004
HEALTHCHECK CMD
# expect: BD2004
HEALTHCHECK NONE now
HEALTHCHECK NONE
HEALTHCHECK --interval=30s CMD ["curl", "-f", "http://localhost/"]
healthcheck cmd curl -f http://localhost/
# expect: BD2004
SHELL []
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# expect: BD2004
VOLUME ["/data", ""]
VOLUME /data /logs
VOLUME ["/data"]
# expect: BD2004
ONBUILD COPY only-source
RUN --mount=type=cache,target=/x echo ok
MAINTAINER Jane Doe <jane@example.com>
EXPOSE 80 443
CMD ["node", "server.js"]
