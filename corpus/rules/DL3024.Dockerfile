FROM node:22 AS build
RUN npm ci && npm run build

# expect: DL3024
FROM golang:1.23 AS build
RUN go build ./...

# expect: DL3024
FROM golang:1.23 as Build

FROM alpine:3.20 AS runtime
FROM alpine:3.20 AS runtime-debug
FROM alpine:3.20
COPY --from=build /out /out
