FROM ubuntu:24.04
USER app
# expect: DL3004
RUN sudo apt-get update
# expect: DL3004
RUN mkdir -p /data && \
    sudo chown app /data
# expect: DL3004
RUN <<EOF
set -eu
sudo -u app touch /home/app/.ready
EOF
# expect: DL3004
RUN bash -c "sudo make install"
# expect: DL3004
ONBUILD RUN sudo npm install -g pnpm
USER root
RUN apt-get update && apt-get install -y --no-install-recommends sudo
# Installing or configuring sudo is not running it.
RUN echo "app ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/app
RUN ["sudo", "true"]
RUN gosu app true
