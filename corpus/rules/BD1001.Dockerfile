ARG BASE_STAGE=Deps
# expect: BD1001
FROM node:22-alpine AS Deps
RUN npm ci

# expect: BD1001
FROM golang:1.23 AS GoBuilder
RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .

FROM Deps AS web
COPY --from=DEPS /app/node_modules ./node_modules
COPY --from=deps /app/package.json ./
RUN --mount=type=bind,from=GoBuilder,source=/out,target=/mnt/out cp /mnt/out/app /usr/local/bin/
FROM ${BASE_STAGE} AS dev

FROM alpine:3.20 AS runtime
COPY --from=GoBuilder /out/app /usr/local/bin/app
COPY --from="gobuilder" /out/app /usr/local/bin/app2
