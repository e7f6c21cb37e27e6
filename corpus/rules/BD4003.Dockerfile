# The project is built for linux/amd64 and linux/arm64 (BD4003.settings).
FROM debian:bookworm-slim AS tools
# expect: BD4003
RUN curl -fsSLo /usr/local/bin/yq https://github.com/mikefarah/yq/releases/download/v4.44.3/yq_linux_amd64 \
 && chmod +x /usr/local/bin/yq
# expect: BD4003
RUN wget -q https://example.com/releases/tool-1.2-linux-x86_64.tar.gz && tar xzf tool-1.2-linux-x86_64.tar.gz
# expect: BD4003
ADD https://nodejs.org/dist/v20.18.0/node-v20.18.0-linux-x64.tar.xz /tmp/
# expect: BD4003
RUN dpkg -i /tmp/pkg_1.0_arm64.deb
# A URL split by a command substitution or a variable is still one download.
# expect: BD4003
RUN curl -fsSLO "https://example.com/tool_$(uname -s)_amd64.tar.gz"
# expect: BD4003
RUN curl -fsSLO https://example.com/v${TOOL_VERSION}/tool-${TOOL_VERSION}-linux-x86_64.tar.gz
# expect: BD4003
RUN curl -fsSLo /tmp/t.tgz "https://example.com/tool_"$(uname -s | tr A-Z a-z)"_amd64.tgz"
# Already chooses the architecture: TARGETARCH, uname, dpkg, a case over several.
RUN curl -fsSLO "https://example.com/tool_$(uname -s)_$(uname -m).tar.gz"
# An architecture after the URL's word ends is not part of the download.
RUN curl -fsSL "https://example.com/install.sh" | sh -s -- --arch amd64
ARG TARGETARCH
RUN curl -fsSLo /usr/local/bin/yq https://github.com/mikefarah/yq/releases/download/v4.44.3/yq_linux_${TARGETARCH}
RUN curl -fsSLO "https://example.com/tool-$(uname -m).tar.gz"
RUN ARCH="$(dpkg --print-architecture)" && curl -fsSLO "https://example.com/tool_${ARCH}.deb"
RUN case "$(arch)" in x86_64) A=amd64;; aarch64) A=arm64;; esac; curl -fsSLO https://example.com/tool_$A
RUN curl -fsSLO https://example.com/a_amd64 || curl -fsSLO https://example.com/a_arm64
# Not a download: an architecture elsewhere in the command.
RUN echo amd64 > /etc/arch-note
# A stage pinned to one platform downloads for it.
FROM --platform=linux/amd64 debian:bookworm-slim AS amd64only
RUN curl -fsSLO https://example.com/tool_linux_amd64
# A stage that runs on the build machine.
FROM --platform=$BUILDPLATFORM debian:bookworm-slim AS build
RUN curl -fsSLO https://example.com/tool_linux_amd64
# A base image that exists for amd64 only: the stage is built for amd64 only.
FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime AS torch
RUN curl -fsSLO https://example.com/tool_linux_amd64
# A Windows stage is built for windows/amd64.
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
RUN curl.exe -fsSLO https://example.com/tool-windows-amd64.zip
