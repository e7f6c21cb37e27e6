FROM fedora:40
ARG JQ_VERSION=1.7.1
ARG TOOLS="make-4.4.1 wget"
# expect: DL3041
RUN dnf install -y httpd && dnf clean all
# A dash inside the name is not a version.
# expect: DL3041
RUN dnf install -y \
      python3-devel \
      gcc-14.1.1 \
 && dnf clean all
# expect: DL3041
RUN microdnf install -y shadow-utils && microdnf clean all
# expect: DL3041
RUN dnf5 install -y tar && dnf5 clean all
# expect: DL3041
RUN dnf -y module install nodejs && dnf clean all
# Variables are judged by their values.
# expect: DL3041
RUN dnf install -y $TOOLS && dnf clean all
# expect: DL3041
RUN <<EOF
set -e
dnf install -y vim-enhanced
dnf clean all
EOF
# expect: DL3041
RUN sh -c 'dnf install -y unzip && dnf clean all'
# expect: DL3041
ONBUILD RUN dnf install -y which && dnf clean all

RUN dnf install -y httpd-2.4.59-2.fc40 jq-${JQ_VERSION} java-21-openjdk && dnf clean all
RUN dnf --repo fedora --setopt install_weak_deps=False install -y jq-1.7.1 && dnf clean all
RUN dnf install -y /tmp/app-1.0-1.x86_64.rpm https://example.com/lib-2.0-1.noarch.rpm && dnf clean all
RUN dnf install -y @development-tools && dnf group install -y "Development Tools" && dnf clean all
RUN dnf module install -y nodejs:20 && dnf clean all
RUN dnf install -y $UNKNOWN_PACKAGES && dnf clean all
RUN dnf remove -y httpd && dnf upgrade -y && dnf clean all
RUN ["dnf", "install", "-y", "httpd"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN dnf install -y httpd
