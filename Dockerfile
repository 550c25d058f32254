# syntax=docker/dockerfile:1.7
# One image for every service (the command picks it: `docker run storefront catalog`) and an
# `operator` target for the operator. TypeScript runs through tsx (a production dependency), so
# there is no build step. The runtime user is uid 10001 and nothing writes outside /tmp, so pods
# run with a read-only root filesystem.

# Workspace manifests only, so `npm ci` is cached until a dependency changes.
FROM node:24-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir /out \
 && find . -path ./node_modules -prune -o \( -name package.json -o -name package-lock.json \) -print \
    | xargs -I{} cp --parents {} /out

FROM node:24-slim AS deps
WORKDIR /app
ENV npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
COPY --from=manifests /out/ ./
# --omit=dev keeps tsx (a dependency of the kit); prebuilt native binaries come as optional deps.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM node:24-slim AS base
ENV NODE_ENV=production HOME=/tmp NODE_OPTIONS=--enable-source-maps
WORKDIR /app
RUN groupadd --system --gid 10001 storefront \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin storefront
COPY --from=deps /app/ ./
# Sources owned by root and not writable by the runtime user.
COPY . .
USER 10001:10001

# docker build --target operator -t storefront-operator .
FROM base AS operator
ENTRYPOINT ["node", "--import", "tsx", "operator/src/main.ts"]
CMD []

# The default target: docker build -t storefront . ; docker run storefront <service> | migrate
FROM base AS app
EXPOSE 8080
ENTRYPOINT ["node", "--import", "tsx", "bin/run.ts"]
CMD ["gateway"]
