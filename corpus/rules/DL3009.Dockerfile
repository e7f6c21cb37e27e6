FROM debian:12 AS base
# expect: DL3009
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y git && rm -fr /var/lib/apt/lists
RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    apt-get update && apt-get install -y make
RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt \
    apt-get update && apt-get install -y gcc
# Cleaning up before the update does not help.
# expect: DL3009
RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y jq
# A cache mount somewhere else does not keep the lists out of the layer.
# expect: DL3009
RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y vim
# Continued lines, and a trailing shell comment that blocks the fix.
# expect: DL3009
RUN apt-get update \
    && apt-get install -y unzip # tools
# expect: DL3009
RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends wget
EOF
# expect: DL3009
RUN sh -c 'apt-get update && apt-get install -y less'
# expect: DL3009
ONBUILD RUN apt update && apt install -y tree
# Installing without updating writes no lists.
RUN apt-get install -y --no-install-recommends file
RUN ["apt-get", "update"]

# A builder: other stages only copy files out of it, so its lists never ship.
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
RUN make -C /src

FROM debian:12 AS tools
RUN apt-get update && apt-get install -y --no-install-recommends protobuf-compiler

# The base of a builder only feeds that builder: skipped too.
FROM debian:12 AS deps
RUN apt-get update && apt-get install -y --no-install-recommends libssl-dev
FROM deps AS compile
RUN apt-get update && apt-get install -y --no-install-recommends pkg-config

# No stage refers to this one, so it may be built with --target: checked.
FROM debian:12 AS debug
# expect: DL3009
RUN apt-get update && apt-get install -y --no-install-recommends gdb

# The final stage is built on `base`, so base's layers ship (reported above).
FROM base
COPY --from=build /src/app /usr/local/bin/app
COPY --from=compile /usr/lib/libssl.so.3 /usr/lib/
RUN --mount=from=tools,source=/usr/bin/protoc,target=/usr/bin/protoc protoc --version
# expect: DL3009
RUN apt-get update; apt-get install -y --no-install-recommends tini

# apt 2.7's dist-clean removes the lists as well.
FROM debian:trixie
RUN apt-get update && apt-get install -y --no-install-recommends tzdata; apt-get dist-clean

# aptitude fetches the same lists.
FROM debian:12
# expect: DL3009
RUN aptitude update && aptitude install -y curl
RUN aptitude update && aptitude install -y jq && rm -rf /var/lib/apt/lists/*
