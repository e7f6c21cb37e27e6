FROM debian:bookworm-slim
# expect: BD0002
RUN --mount=type=cache,target=/var/cache/apt \
    && apt-get update && apt-get install -y wget
# expect: BD0002
RUN if [ -f /etc/os-release ]; then cat /etc/os-release
# expect: BD0002
RUN echo "unterminated
# expect: BD0002
RUN for f in a b; do echo $f
# expect: BD0002
RUN apt-get update && | grep x
# expect: BD0002
RUN <<EOF
set -e
if true; then
  echo no fi
EOF
# expect: BD0002
RUN sh -c 'echo ( broken'
# expect: BD0002
ONBUILD RUN echo a &&
# Escaped newlines, comment lines and BuildKit heredocs are fine.
RUN apt-get update \
    # a comment line inside the instruction
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
RUN <<EOF
set -eux
for f in a b; do
  echo "$f"
done
EOF
RUN cat <<EOF > /etc/motd
unbalanced ( and " in a here-document are data
EOF
RUN python3 <<EOF
print("not shell (")
EOF
RUN <<EOF
#!/usr/bin/env python3
print("not shell either (")
EOF
RUN ["sh", "-c", "echo $HOME && ("]
RUN [[ -n "${VAR:-x}" ]] && echo "$((1 + 2))" || { echo no; exit 1; }
RUN case "$(uname -m)" in x86_64) echo amd64 ;; aarch64|arm64) echo arm64 ;; *) exit 1 ;; esac
RUN echo $'tab\there' > /tmp/x; arr=(a b c); echo "${arr[@]}" 2>&1 | tee /dev/null
SHELL ["pwsh", "-Command"]
RUN if ($x) { Write-Host "( not sh" }
FROM debian:bookworm-slim
RUN <<EOT bash
    set -ex
    apt-get update
EOT
# expect: BD0002
RUN <<EOT bash
    if true; then echo
EOT
RUN ['pip', 'install', '--no-cache-dir', 'say "hi"']
RUN ['unterminated', 'list'
RUN [ -f /etc/os-release ] && echo found
