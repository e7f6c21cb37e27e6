FROM debian:12
# Installing the tools is fine; running them is not.
RUN apt-get update && apt-get install -y --no-install-recommends vim procps openssh-client
# expect: DL3001
RUN service postgresql start && psql -c 'CREATE DATABASE app'
# expect: DL3001
RUN ps aux | grep nginx
# expect: DL3001
RUN make && \
    /usr/bin/vim -c ':wq' /etc/motd
# expect: DL3001
RUN <<EOF
set -eu
ifconfig eth0
EOF
# expect: DL3001
RUN sh -c 'free -m'
# expect: DL3001
ONBUILD RUN kill -HUP 1
# expect: DL3001
RUN mount -t tmpfs none /mnt && top -b -n 1 && shutdown -h now
RUN ["ps", "aux"]
RUN echo "service" > /tmp/words && ssh-keyscan github.com >> /etc/ssh/ssh_known_hosts
RUN pkill -f old || true
SHELL ["pwsh", "-Command"]
RUN ps
