FROM opensuse/leap:15.6
ARG GIT_VERSION=2.43.0
ARG TOOLS="tar=1.34 unzip"
# expect: DL3037
RUN zypper -n install curl && zypper clean
# expect: DL3037
RUN zypper -n in \
      git=2.43.0 \
      make \
 && zypper clean
# Variables are judged by their values.
# expect: DL3037
RUN zypper -n in $TOOLS && zypper clean
# expect: DL3037
RUN <<EOF
set -e
zypper -n in vim
zypper clean
EOF
# expect: DL3037
RUN sh -c 'zypper -n in jq && zypper clean'
# expect: DL3037
ONBUILD RUN zypper -n in which && zypper clean

RUN zypper -n in curl=8.6.0 "git>=${GIT_VERSION}" 'tar<2' && zypper clean
RUN zypper -n in /tmp/app-1.0-1.x86_64.rpm https://example.com/lib-2.0-1.noarch.rpm && zypper clean
RUN zypper -n in -t pattern devel_basis && zypper -n in --type=patch SUSE-2024-1 && zypper clean
RUN zypper -n in -r repo-oss --from repo-update curl=8.6.0 && zypper clean
RUN zypper -n in $UNKNOWN_PACKAGES && zypper clean
RUN zypper -n remove vim && zypper -n update && zypper clean
RUN ["zypper", "-n", "install", "curl"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN zypper -n install curl
