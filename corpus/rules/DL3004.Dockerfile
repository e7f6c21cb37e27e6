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
USER app
# Fix offered: sudo with options that keep the user.
# expect: DL3004
RUN sudo -E -H pip install --no-cache-dir requests==2.32.3
# expect: DL3004
RUN sudo --preserve-env=PATH -- make install && sudo -nE \
      ldconfig
# No fix: another user, a login shell.
# expect: DL3004
RUN sudo -i bash -c 'echo hi'
