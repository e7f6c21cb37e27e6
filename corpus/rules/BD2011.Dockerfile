FROM golang:1.23 AS build
FROM golang:1.23 AS Build-Two
FROM golang:1.23 AS build_3.x
# expect: BD2011
FROM golang:1.23 AS 1-build
# expect: BD2011
FROM golang:1.23 AS my/stage
# expect: BD2011
FROM golang:1.23 AS ${STAGE_NAME}
# expect: BD2011
from golang:1.23 as build:dev
FROM golang:1.23 AS
FROM alpine:3.20
COPY --from=build /out /out
