ARG BUILD_DATE
FROM alpine:3.20
LABEL org.opencontainers.image.created="2024-05-01T12:30:00Z"
LABEL org.opencontainers.image.created="2024-02-29T23:59:60.123+02:00"
LABEL org.opencontainers.image.created="2024-05-01t12:30:00z"
# expect: DL3053
LABEL org.opencontainers.image.created="2024-05-01"
# expect: DL3053
LABEL org.opencontainers.image.created="2023-02-29T12:00:00Z"
# expect: DL3053
LABEL org.opencontainers.image.created="2024-05-01T12:30:00"
# expect: DL3053
LABEL org.opencontainers.image.created="May 1 2024"
# expect: DL3053
LABEL org.opencontainers.image.created="2024-05-01 12:30:00Z"
ARG BUILD_DATE
LABEL org.opencontainers.image.created="${BUILD_DATE}"
