FROM --platform=linux/amd64 rust:1.82 AS build
RUN cargo build --release
FROM --platform=$BUILDPLATFORM golang:1.23 AS cross
RUN go build -o /out/app .
FROM build AS inherits
FROM --platform=linux/arm64 debian:bookworm-slim AS arm
# expect: BD4007
COPY --from=build /app/target/release/app /usr/local/bin/app
# expect: BD4007
COPY --from=inherits /app/target/release/app /usr/local/bin/app2
# Cross-compiled, or from a stage without a known platform, or from an image.
COPY --from=cross /out/app /usr/local/bin/go-app
COPY --from=busybox:1.36 /bin/busybox /bin/busybox
FROM --platform=linux/amd64 debian:bookworm-slim AS same
COPY --from=build /app/target/release/app /usr/local/bin/app
# An export stage: collects files for --output and runs nothing.
FROM scratch AS publish
COPY --from=build /app/target/release/app /app
# A Windows stage is built for windows/amd64.
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
COPY --from=build /app/target/release/app.exe C:/app.exe
FROM --platform=linux/arm64 scratch AS final
# expect: BD4007
COPY --from=build /app/target/release/app /app
