FROM node:20-bookworm-slim AS app
WORKDIR /app
# expect: DL3060
RUN yarn install --frozen-lockfile
# expect: DL3060
RUN yarn install \
      --production \
      --frozen-lockfile
# A bare `yarn` installs too.
# expect: DL3060
RUN yarn --frozen-lockfile
# A clean before the install does not help.
# expect: DL3060
RUN yarn cache clean && yarn install
# A trailing comment would swallow an appended command: no fix.
# expect: DL3060
RUN yarn install # dependencies
# expect: DL3060
RUN <<EOF
set -e
yarn install --frozen-lockfile
EOF
# expect: DL3060
RUN sh -c 'yarn install'
# expect: DL3060
ONBUILD RUN yarn install

RUN yarn install --frozen-lockfile && yarn cache clean
RUN yarn install && yarn build && yarn cache clean --force
RUN yarn install && rm -rf /usr/local/share/.cache/yarn
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install
RUN --mount=type=cache,target=/root/.cache yarn install
RUN yarn build && yarn add react@18.3.1 && yarn --version
RUN ["yarn", "install"]

# A builder: other stages only copy files out of it, so its cache never ships.
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN yarn install --frozen-lockfile && yarn build

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04 AS pwsh
SHELL ["pwsh", "-Command"]
RUN yarn install

FROM app
COPY --from=build /src/dist /app/dist
# expect: DL3060
RUN yarn install --production
