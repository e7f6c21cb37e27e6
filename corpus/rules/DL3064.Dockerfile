# expect: BD1004
ARG NPM_TOKEN
FROM node:22-slim
# expect: BD1004
ARG GITHUB_TOKEN
# expect: BD1004
ENV DB_PASSWORD=${DB_PASSWORD}
# expect: BD1004
ARG apiKey="placeholder"
# expect: BD1004
ENV AWS_SECRET_ACCESS_KEY= SSH_AUTH_SOCK=/run/ssh.sock
# A literal credential is worse: it is an error on the value.
# expect: BD1004
ENV GITHUB_TOKEN=ghp_R4nd0mL00k1ngT0k3nV4lu3abcdef123456
# expect: BD1004
ARG SERVICE_API_KEY=q8Zr2LxT0vNw7Pm4Ks9dHy3Jc
# Known token shapes are errors whatever the variable is called.
# expect: BD1004
ENV AWS_ID=AKIAIOSFODNN7EXAMPLE
# expect: BD1004
ENV HF_HOME=/cache/hf \
    CI_JOB_VAR=glpat-a1B2c3D4e5F6g7H8i9J0
# expect: BD1004
ONBUILD ARG DEPLOY_KEY
# Public, file and version words make a name harmless.
ARG PUBLIC_KEY_URL=https://example.com/key.pub
ENV KEY_FILE=/run/secrets/key TOKEN_VERSION=2
# Words that only contain a secret word are not secret words.
ENV AUTHOR=jane KEYRING_DIR=/usr/share/keyrings MONKEY=1
# A GPG fingerprint is public; it is still a secret-looking name.
# expect: BD1004
ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D
ENV NODE_ENV=production
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
