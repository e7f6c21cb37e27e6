FROM node:20-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
# expect: BD1016
COPY .env /app/.env
# expect: BD1016
COPY node_modules/left-pad /app/node_modules/left-pad
# expect: BD1016
COPY ./secrets/api.key /run/secrets/api.key
# expect: BD1016
ADD docs/guide.md /app/docs/
COPY src/ /app/src/
COPY docs/README.md /app/docs/
COPY . .
COPY *.json /app/
COPY --from=build /app/dist /dist
COPY <<EOF /app/config.json
{"debug": false}
EOF
ADD https://example.com/file.tar.gz /tmp/
ADD git@github.com:moby/buildkit.git /src/buildkit
COPY keep.log /app/
# expect: BD1016
COPY ["build.log", "/app/"]
ARG CFG=config/local.yaml
# expect: BD1016
COPY ${CFG} /etc/app/config.yaml
COPY ${UNKNOWN} /etc/app/
COPY whitelisted /app/whitelisted
# expect: BD1016
ONBUILD COPY .env /app/.env
CMD ["node", "/app/src/index.js"]
