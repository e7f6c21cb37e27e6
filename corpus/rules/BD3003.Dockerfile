FROM node:22-slim
WORKDIR /app
# expect: BD3003
COPY .npmrc package.json package-lock.json ./
# expect: BD3003
COPY .env /app/.env
# expect: BD3003
COPY config/.env.production ./config/
# expect: BD3003
COPY id_rsa /root/.ssh/id_rsa
# expect: BD3003
ADD certs/server.key certs/server.crt /etc/ssl/private/
# expect: BD3003
COPY --chown=node:node ["secrets.yaml", "/app/config/"]
ARG KEY_FILE=deploy-key.pem
# expect: BD3003
COPY ${KEY_FILE} /etc/app/
# expect: BD3003
COPY .aws/credentials /root/.aws/credentials
# expect: BD3003
COPY *.p12 /etc/app/keystore/
# expect: BD3003
ONBUILD COPY .netrc /root/.netrc

# Public material, templates, and files from other stages.
COPY .env.example .env.sample ./
COPY id_rsa.pub /root/.ssh/authorized_keys
COPY certs/ca.pem certs/fullchain.pem certs/rds-combined-ca-bundle.pem /etc/ssl/certs/
COPY nodesource-repo.gpg.key /usr/share/keyrings/
COPY secrets.py environment.ts keys.txt ./
COPY --from=builder /app/.env /app/.env
COPY <<EOF /app/.env
NODE_ENV=production
EOF
ADD https://example.com/id_rsa /tmp/id_rsa
COPY ${UNKNOWN_FILE} /etc/app/
COPY . .
