FROM node:22.11.0-slim
# ruleid: gantry.dockerfile.secret-in-env-or-arg
ARG NPM_TOKEN
# ruleid: gantry.dockerfile.secret-in-env-or-arg
ENV DB_PASSWORD=hunter2
# ok: gantry.dockerfile.secret-in-env-or-arg
ENV TOKEN_URL=https://auth.example.com/token
# ok: gantry.dockerfile.secret-in-env-or-arg
RUN --mount=type=secret,id=npm_token NPM_TOKEN="$(cat /run/secrets/npm_token)" npm ci
USER node
