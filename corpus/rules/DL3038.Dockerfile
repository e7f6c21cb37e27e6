FROM fedora:40
# expect: DL3038
RUN dnf install httpd-2.4.59 && dnf clean all
# expect: DL3038
RUN dnf --setopt=install_weak_deps=False \
      install jq-1.7.1 \
 && dnf clean all
# expect: DL3038
RUN microdnf install shadow-utils-4.14.0 && microdnf clean all
# dnf 5 under its own name.
# expect: DL3038
RUN dnf5 install tar-1.35 && dnf5 clean all
# expect: DL3038
RUN dnf group install "Development Tools" && dnf clean all
# expect: DL3038
RUN <<EOF
set -e
dnf install wget-1.21.4
dnf clean all
EOF
# expect: DL3038
RUN sh -c 'dnf install make-4.4.1 && dnf clean all'
# expect: DL3038
ONBUILD RUN dnf install which-2.21 && dnf clean all

RUN dnf install -y httpd-2.4.59 && dnf clean all
RUN dnf -y install httpd-2.4.59 && dnf clean all
RUN microdnf --assumeyes install httpd-2.4.59 && microdnf clean all
RUN dnf -qy module install nodejs:18 && dnf clean all
RUN dnf upgrade -y && dnf clean all
RUN dnf info install && dnf repoquery --installed
RUN ["dnf", "install", "httpd"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN dnf install httpd
