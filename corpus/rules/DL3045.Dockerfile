ARG ABS=/srv
ARG REL=app
FROM node:22-slim AS deps
# expect: DL3045
COPY package.json package-lock.json ./
# expect: DL3045
COPY ["tsconfig.json", "config/"]
# expect: DL3045
COPY --chown=node:node src \
     src
COPY app.js /srv/app.js
COPY app.js "/srv/quoted.js"
ARG ABS REL
COPY app.js $ABS/app.js
# expect: DL3045
COPY app.js ${REL}/app.js
# Unknown destination: not judged.
COPY app.js $UNSET/app.js
# ONBUILD runs in another build with its own working directory.
ONBUILD COPY . ./
WORKDIR /app
COPY . .

FROM deps AS build
# The WORKDIR of the parent stage still applies.
COPY . .

FROM node:22-slim AS other
# A new base image: no WORKDIR yet.
# expect: DL3045
COPY dist dist

FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY app.exe C:/app/app.exe
COPY app.exe C:/tools/
COPY <<EOF /etc/motd
hello
EOF
