ARG APP_HOME=/srv/app
ARG REL=app
FROM python:3.12-slim
# expect: DL3000
WORKDIR app
# expect: DL3000
workdir ./src
# expect: DL3000
WORKDIR "build/output"
# A global ARG is not visible until the stage declares it: not judged.
WORKDIR ${REL}
ARG REL
# expect: DL3000
WORKDIR ${REL}/data
# expect: DL3000
ONBUILD WORKDIR relative/dir
WORKDIR /app
WORKDIR "/opt/my app"
WORKDIR $APP_HOME
ARG APP_HOME
WORKDIR $APP_HOME
WORKDIR ${APP_HOME}/static
ENV DATA=/var/lib/data
WORKDIR $DATA/cache
# Unknown value: not judged.
WORKDIR $UNSET_DIR
ONBUILD WORKDIR /src

FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR C:\app
WORKDIR C:/tools
WORKDIR c:\\inetpub

FROM python:3.12-slim AS fixable
WORKDIR /srv
# expect: DL3000
WORKDIR app
# expect: DL3000
WORKDIR "static files"
# expect: DL3000
WORKDIR ../shared/./cache

FROM fixable
# The parent stage's WORKDIR is known.
# expect: DL3000
WORKDIR logs
