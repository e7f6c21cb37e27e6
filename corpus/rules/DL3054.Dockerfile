FROM alpine:3.20
LABEL org.opencontainers.image.licenses="Apache-2.0"
LABEL org.opencontainers.image.licenses="MIT OR Apache-2.0"
LABEL org.opencontainers.image.licenses="(MIT AND BSD-3-Clause) OR GPL-2.0-only WITH Classpath-exception-2.0"
LABEL org.opencontainers.image.licenses="GPL-2.0+"
LABEL org.opencontainers.image.licenses=LicenseRef-acme-proprietary
# expect: DL3054
LABEL org.opencontainers.image.licenses="Apache 2"
# expect: DL3054
LABEL org.opencontainers.image.licenses="GPLv3"
# expect: DL3054
LABEL org.opencontainers.image.licenses="MIT OR"
# expect: DL3054
LABEL org.opencontainers.image.licenses="(MIT"
