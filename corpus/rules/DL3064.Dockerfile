# expect: DL3064
ARG NPM_TOKEN
FROM node:22-slim
# expect: DL3064
ARG GITHUB_TOKEN
# expect: DL3064
ENV DB_PASSWORD=${DB_PASSWORD}
# expect: DL3064
ARG apiKey="placeholder"
# expect: DL3064
ENV AWS_SECRET_ACCESS_KEY= SSH_AUTH_SOCK=/run/ssh.sock
# A literal credential is worse: it is an error on the value.
# expect: DL3064
ENV GITHUB_TOKEN=ghp_R4nd0mL00k1ngT0k3nV4lu3abcdef1234567
# expect: DL3064
ARG SERVICE_API_KEY=q8Zr2LxT0vNw7Pm4Ks9dHy3Jc
# Known token shapes are errors whatever the variable is called.
# expect: DL3064
ENV AWS_ID=AKIA4QWERTYUI0PASDFG
# AWS's documented example key is not a leaked key.
ENV DOCS_AWS_ID=AKIAIOSFODNN7EXAMPLE
# expect: DL3064
ENV HF_HOME=/cache/hf \
    CI_JOB_VAR=glpat-a1B2c3D4e5F6g7H8i9J0
# expect: DL3064
ONBUILD ARG DEPLOY_KEY
# Public, file and version words make a name harmless.
ARG PUBLIC_KEY_URL=https://example.com/key.pub
ENV KEY_FILE=/run/secrets/key TOKEN_VERSION=2
# Words that only contain a secret word are not secret words.
ENV AUTHOR=jane KEYRING_DIR=/usr/share/keyrings MONKEY=1
# A GPG key id or fingerprint is public.
ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D
# `auth` before another word qualifies a setting; at the end it is a credential.
ENV GF_AUTH_ANONYMOUS_ENABLED=true SSH_AUTH_SOCK=/run/ssh.sock
# expect: DL3064
ARG BASIC_AUTH
# Pieces of words do not count (hadolint reports these three).
ENV TOKENIZERS_PARALLELISM=false LDAP_ADMIN_USERNAME=admin MINIO_SECRET_KEY_FILE=secret_key
ENV NODE_ENV=production
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
