ARG VERSION=1.4.2
ARG REGISTRY=docker.io
FROM ${REGISTRY}/library/alpine:3.20 AS base
ARG APP_USER=app
ENV APP_HOME=/srv/app
# A typo of a name in scope is reported even on an image base.
# expect: BD1003
WORKDIR $APP_HOM
# Case matters in Dockerfile variables.
# expect: BD1003
USER ${app_user}
# A global ARG is not visible in a stage until it is declared again.
# expect: BD1003
LABEL org.opencontainers.image.version=$VERSION
# Flags are expanded by the builder too.
# expect: BD1003
COPY --chown=$APP_USR:$APP_USER app/ $APP_HOME/
# expect: BD1003
RUN --mount=type=cache,target=${APP_HOMME}/.cache make
ARG VERSION
LABEL org.opencontainers.image.version=$VERSION
WORKDIR $APP_HOME
# Names the base image may set are not reported (berth cannot see its ENV).
ENV PATH=/usr/local/bin:$PATH LANG=$LANG
ENV PYTHONPATH=$PYTHON_HOME/lib
# Modifiers say what happens when the name is unset.
EXPOSE ${PORT:-8080}
COPY ${SRC_DIR-src}/ ${APP_HOME:?}/
# Automatic platform ARGs are visible in a stage only once declared there.
# expect: BD1003
COPY bin/$TARGETARCH/tool /usr/local/bin/
ARG TARGETARCH
COPY bin/$TARGETARCH/tool /usr/local/bin/
# The shell expands RUN, CMD and ENTRYPOINT when they run.
RUN echo $APP_HOM $UNDEFINED
CMD echo $APP_HOM
# Escaped and single-quoted dollars are not references.
LABEL price=\$VERSIONX note='$APP_HOM'

# ENV and ARG both carry over into a stage built FROM this one (BuildKit 1.9
# and later: the child inherits the base stage's declared ARGs).
FROM base AS child
WORKDIR $APP_HOME
USER $APP_USER
ARG MODE
# ONBUILD is evaluated in the child image's build.
ONBUILD WORKDIR $APP_HOM

# ... at any depth, an ARG declared without a value included.
FROM child AS grandchild
COPY --chown=$APP_USER config-$MODE/ $APP_HOME/
# A typo of an inherited ARG is still a typo.
# expect: BD1003
COPY config-$MOD/ /etc/app/

FROM scratch AS minimal
ARG BIN=/app
# Built from scratch: nothing else can define a name, so every undefined one is reported.
# expect: BD1003
COPY --from=base /bin/busybox $BIN_DIR/
# expect: BD1003
ENV HOME=$HOME_DIR
COPY --from=base /bin/busybox ${BIN}/busybox
# PATH is always set by the builder.
ENV PATH=$PATH:/app
# An ENV pair sees only what was defined before the instruction.
# expect: BD1003
ENV A=1 B=$A
ENV C=$A
# A stage built FROM an image (here scratch) inherits nothing from the
# stages above, however they are named.
# expect: BD1003
USER $APP_USER
