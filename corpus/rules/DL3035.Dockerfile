FROM opensuse/leap:15.6
# expect: DL3035
RUN zypper -n dist-upgrade
# expect: DL3035
RUN zypper refresh \
 && zypper --non-interactive dup --allow-vendor-change \
 && zypper clean
# expect: DL3035
RUN <<EOF
set -e
zypper -n dup
EOF
# expect: DL3035
RUN sh -c 'zypper -n dist-upgrade'
# expect: DL3035
ONBUILD RUN zypper -n dup

RUN zypper -n update && zypper -n patch && zypper clean
RUN zypper -n install dup && zypper clean
RUN ["zypper", "-n", "dist-upgrade"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN zypper -n dist-upgrade
