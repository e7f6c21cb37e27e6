ARG APP_UID=10001
FROM node:22-slim AS build
# Build stages may use any user.
USER node
RUN npm ci
USER root

FROM node:22-slim
RUN useradd --uid 10001 --no-log-init app
# Not the last USER of the stage.
USER root
RUN apt-get update
USER app
ONBUILD USER someone
# expect: DL3066
USER app:app
