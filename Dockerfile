# syntax=docker/dockerfile:1
# berth in a container: `docker run --rm -v "$PWD:/work" berth check .`
ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY rules/ rules/
COPY server/ server/
COPY tests/ tests/
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p berth \
    && install -D -m 0755 target/release/berth /out/berth

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/berth /usr/local/bin/berth
WORKDIR /work
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/berth"]
CMD ["check", "."]
