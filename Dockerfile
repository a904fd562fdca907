# syntax=docker/dockerfile:1
# dub-bridge on Node, with SQLite on a /data volume. The build stage runs the same commands as
# scripts/ci-production.sh (which CI runs, since CI cannot run docker): npm ci, npm run build,
# npm prune --omit=dev; the runtime stage starts `node dist/src/runtime/node.js` as that script
# does. Change one, change the other.
#
#   docker build -t dub-bridge .
#   docker run -d --name dub-bridge -p 8787:8787 -v dub-bridge-data:/data \
#     -e STRIPE_WEBHOOK_SECRET=whsec_… -e DUB_API_KEY=dub_… dub-bridge
#
# Keep the /data volume: it holds every acknowledged webhook not yet delivered (docs/deploy-node.md).

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
# Compilers for better-sqlite3, used only when no prebuilt binary matches this platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# npm ci runs `prepare`, which builds dist/; the explicit build is the documented step (and a
# no-op here thanks to --incremental).
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund \
  && npm run build \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    DATABASE_PATH=/data/dub-bridge.sqlite
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json /app/package-lock.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/migrations ./migrations
# The app files stay root-owned and read-only to the process; only /data is writable.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/healthz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself, not npm: SIGTERM reaches the bridge, which drains deliveries and exits 0.
# Exit 78 is a configuration error; a restart policy cannot fix it (docs/deploy-node.md).
CMD ["node", "dist/src/runtime/node.js"]
