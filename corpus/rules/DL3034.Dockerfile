FROM opensuse/leap:15.6
# expect: DL3034
RUN zypper install curl=8.6.0 && zypper clean
# expect: DL3034
RUN zypper --gpg-auto-import-keys \
      in -t pattern devel_basis \
 && zypper clean
# expect: DL3034
RUN zypper remove vim
# `-n` after the subcommand selects packages by name; it does not answer prompts.
# expect: DL3034
RUN zypper in -n curl=8.6.0 && zypper clean
# update and dist-upgrade ask too.
# expect: DL3034
RUN zypper update && zypper clean
# expect: DL3034
RUN <<EOF
set -e
zypper source-install curl
EOF
# expect: DL3034
RUN sh -c 'zypper patch'
# expect: DL3034
ONBUILD RUN zypper in git=2.43.0 && zypper clean

RUN zypper -n install curl=8.6.0 && zypper clean
RUN zypper --non-interactive in curl=8.6.0 && zypper clean
RUN zypper -nq in curl=8.6.0 && zypper clean
RUN zypper install -y curl=8.6.0 && zypper clean
RUN zypper rm --no-confirm vim && zypper clean
RUN zypper refresh && zypper search curl && zypper info curl
RUN ["zypper", "install", "curl"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN zypper install curl
