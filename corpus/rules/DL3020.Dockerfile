FROM alpine:3.20
# expect: DL3020
ADD app.py /app/
# expect: DL3020
add --chown=app:app src/ config.yaml /app/
# expect: DL3020
ADD ["my file.txt", "/app/"]
# Archives are unpacked by ADD: not reported.
ADD rootfs.tar.gz /
# URLs and git repositories are fetched by ADD: not reported.
ADD https://example.com/tool.sh /usr/local/bin/
ADD git@github.com:moby/buildkit.git /src
ARG RELEASE=https://example.com/release.tgz
ADD ${RELEASE} /opt/
# --checksum only works with ADD: reported, but without a fix.
# expect: DL3020
ADD --checksum=sha256:abc local.bin /bin/
ADD <<EOF /etc/motd
hello
EOF
COPY app.py /app/
# ADD copies zip files as they are (it unpacks tar, gzip, bzip2, xz, zstd only).
# expect: DL3020
ADD dist.zip /opt/
# expect: DL3020
ADD legacy.tar.lz /opt/
ADD rootfs.tar.zst /
ADD data.XZ /opt/
