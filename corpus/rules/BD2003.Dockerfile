ARG MODE=0644
ARG BAD_MODE=rwx
ARG PLATFORM=linux/amd64
FROM --platform=$PLATFORM alpine:3.20 AS ok
# expect: BD2003
FROM --platform=linux//amd64 alpine:3.20 AS bad-platform
FROM --platform=$BUILDPLATFORM alpine:3.20 AS auto
FROM alpine:3.20
ARG MODE BAD_MODE
# expect: BD2003
COPY --from build /out /app
# expect: BD2003
COPY --link=yes a /a
COPY --link a /a
COPY --link=False --parents=true a /a
# expect: BD2003
COPY --chmod=rwxr-xr-x a /a
COPY --chmod=0755 a /a
COPY --chmod=u+x,go-w a /a
COPY --chmod=$MODE a /a
# expect: BD2003
COPY --chmod=$BAD_MODE a /a
COPY --chmod=$UNKNOWN a /a
# expect: BD2003
HEALTHCHECK --interval=30 CMD true
# expect: BD2003
HEALTHCHECK --timeout=500us CMD true
# expect: BD2003
HEALTHCHECK --retries=-1 CMD true
# expect: BD2003
HEALTHCHECK --interval=$INTERVAL CMD true
HEALTHCHECK --interval=1m30s --timeout=0 --retries=0 CMD true
# expect: BD2003
RUN --network=bridge true
# expect: BD2003
RUN --security=privileged true
RUN --network=none --security=insecure true
# expect: BD2003
RUN --mount=type=cahce,target=/root/.cache true
# expect: BD2003
RUN --mount=type=cache,taget=/root/.cache true
# expect: BD2003
RUN --mount=type=cache,target=/x,sharing=exclusive true
# expect: BD2003
RUN --mount=type=secret true
# expect: BD2003
RUN --mount=type=bind,target=/x,mode=0755 true
# expect: BD2003
RUN --mount=type=bind,from=$STAGE,target=/x true
# expect: BD2003
RUN --mount true
RUN --mount=type=cache,target=/root/.cache,id=pip,sharing=locked,mode=0755,uid=1000,gid=1000 pip install x
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true npm ci
RUN --mount=type=ssh,required git clone git@github.com:org/repo.git
RUN --mount=type=tmpfs,target=/tmp,size=64m true
RUN --mount=type=bind,source=.,target=/src,rw true
RUN --mount=target=/data,type=$MOUNT_TYPE true
# expect: BD2003
ONBUILD RUN --mount=type=cahce,target=/x true
CMD ["true"]
