# The DockPulse server: API, agent and dashboard sockets, and the web dashboard, in one image.
#
#   docker build -t dockpulse .                                  (BASE_IMAGE defaults to node:20-bookworm-slim)
#   docker build --build-arg BASE_IMAGE=local/dockpulse-node:20 -t dockpulse .   (no registry: deploy/base-image/build.sh)
#
# BASE_IMAGE is any image with Node >= 20.19, npm, `sh` and a user `node` (uid 1000).
ARG BASE_IMAGE=node:20-bookworm-slim

# Every dependency, for the build. The lockfile alone decides this layer, so source edits reuse it.
FROM ${BASE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/agent/package.json packages/agent/
COPY packages/sim/package.json packages/sim/
RUN npm ci --no-audit --no-fund

# Server, dashboard (web/dist) and the protocol package they share.
FROM deps AS build
COPY tsconfig.json tsconfig.base.json tsconfig.build.json nest-cli.json prisma.config.ts ./
COPY prisma prisma
COPY scripts scripts
COPY packages packages
COPY web web
COPY src src
RUN npm run build

# Production dependencies only: no dev tools, and none of the agent's or simulator's. Optional
# packages go too: prisma and typescript are optional peers of @prisma/client and @nestjs/swagger.
FROM ${BASE_IMAGE} AS production-deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/agent/package.json packages/agent/
COPY packages/sim/package.json packages/sim/
RUN npm ci --omit=dev --omit=optional --workspace @dockpulse/protocol --include-workspace-root --no-audit --no-fund \
 && rm -rf /root/.npm

FROM ${BASE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
COPY --from=production-deps /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/packages/protocol/package.json packages/protocol/
COPY --from=build /app/packages/protocol/dist packages/protocol/dist
COPY --from=build /app/prisma/migrations prisma/migrations
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
COPY scripts/healthcheck.mjs scripts/
# DATA_DIR holds the embedded database and the generated secrets: the non-root user must own it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
# A larger young generation: see docs/deployment.md, "Memory".
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]
