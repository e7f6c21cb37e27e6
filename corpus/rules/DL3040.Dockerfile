FROM fedora:40
# expect: DL3040
RUN dnf install -y httpd-2.4.59
# expect: DL3040
RUN microdnf install -y \
      shadow-utils-4.14.0 \
      tar-1.35
# expect: DL3040
RUN dnf5 install -y jq-1.7.1
# A clean before the install does not help.
# expect: DL3040
RUN dnf clean all && dnf install -y make-4.4.1
# Each tool cleans its own cache.
# expect: DL3040
RUN dnf install -y gcc-14.1.1 && microdnf clean all
# A trailing comment would swallow an appended command: no fix.
# expect: DL3040
RUN dnf install -y wget-1.21.4 # tools
# A cache mount elsewhere does not keep dnf's cache out of the layer.
# expect: DL3040
RUN --mount=type=cache,target=/var/cache/apt dnf install -y vim-enhanced-9.1.393
# expect: DL3040
RUN <<EOF
set -e
dnf install -y less-643
EOF
# expect: DL3040
RUN sh -c 'dnf install -y which-2.21'
# expect: DL3040
ONBUILD RUN dnf install -y file-5.45

RUN dnf install -y httpd-2.4.59 && dnf clean all
RUN dnf -y install httpd-2.4.59 && dnf -y clean all && rm -rf /var/cache/dnf
RUN microdnf install -y httpd-2.4.59 && microdnf clean all
RUN dnf install -y httpd-2.4.59 && rm -rf /var/cache/dnf/*
RUN microdnf install -y httpd-2.4.59 && rm -rf /var/cache/yum
RUN --mount=type=cache,target=/var/cache/dnf dnf install -y httpd-2.4.59
RUN --mount=type=cache,target=/var/cache dnf install -y httpd-2.4.59
# An upgrade downloads packages into the cache as an install does.
# expect: DL3040
RUN dnf upgrade -y && dnf remove -y httpd
RUN ["dnf", "install", "-y", "httpd"]
# dnf's and dnf5's aliases download packages too.
# expect: DL3040
RUN dnf in -y httpd
# expect: DL3040
RUN dnf up -y
# expect: DL3040
RUN dnf upgrade-minimal -y
# expect: DL3040
RUN dnf rei -y bash
# expect: DL3040
RUN dnf5 distro-sync -y
RUN dnf up -y && dnf clean all
RUN dnf remove -y httpd
RUN dnf repolist

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN dnf install -y httpd
