# expect: DL3065
FROM --platform=$TARGETPLATFORM alpine:3.20 AS a
# expect: DL3065
FROM --platform=${TARGETPLATFORM} alpine:3.20 AS b
# expect: DL3065
FROM --platform="$TARGETPLATFORM" \
    alpine:3.20 AS c
# expect: DL3065
from   --platform=$TARGETPLATFORM	alpine:3.20 as d
FROM --platform=$BUILDPLATFORM golang:1.23 AS e
FROM --platform=$TARGETOS/$TARGETARCH alpine:3.20 AS f
FROM --platform='$TARGETPLATFORM' alpine:3.20 AS g
FROM --platform=linux/amd64 alpine:3.20 AS h
FROM alpine:3.20
