# Caller Memory as a container image (README "Deploying").
#   docker build -t caller-memory .
#   export APP_SECRET="$(openssl rand -base64 48)"   # once, and keep it: every API key is stored under it
#   docker run -d --name caller-memory -p 4000:4000 -e APP_SECRET -v caller-memory-data:/data \
#     --stop-timeout 15 caller-memory
# The first start on an empty database prints an admin test key in the container's log.
#
# NODE_IMAGE: any Debian-based Node 24 image with npm (the official one by default). Without Docker Hub,
# build one locally and pass it with --build-arg NODE_IMAGE=… (scripts/container-proof.sh shows how).
ARG NODE_IMAGE=node:24-bookworm-slim

# Dependencies are installed with --ignore-scripts: none needs its install script (better-sqlite3 ships
# prebuilt binaries for linux x64/arm64, glibc and musl; without the flag npm would run node-gyp, which
# wants Python and a compiler that slim images lack), and one of them would only send install telemetry.

# 1. Compile: every dependency (TypeScript is a development one), then tsc into dist/. The service reads
#    its templates, stylesheets and browser scripts from src/ beside dist/ (src/pages/source-files.ts), so
#    every file of src/ that is not TypeScript is gathered into /runtime/src.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json mikro-orm.config.ts ./
COPY src ./src
RUN npm run build \
 && mkdir -p /runtime \
 && find src -type f ! -name '*.ts' -exec cp --parents {} /runtime/ \;

# 2. Production dependencies only, installed on the runtime's own base.
FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error

# 3. The image: compiled code, runtime files and production dependencies, owned by root and read-only to
#    the unprivileged user the service runs as (uid 1000, `node` in the official images).
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json ./
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /runtime/src ./src
# The SQLite file lives in /data (unless DATABASE_URL names PostgreSQL): mount a volume there.
RUN mkdir -p /data && chown 1000:1000 /data
VOLUME ["/data"]
# Numeric, so orchestrators can check runAsNonRoot.
USER 1000:1000
EXPOSE 4000
# The service drains on SIGTERM itself (/readyz turns 503, requests in flight finish, exit 0 within
# SHUTDOWN_TIMEOUT_MS, 10 s): give `docker stop` more than that, e.g. `docker stop -t 15`. Node runs as
# PID 1 and handles SIGTERM and SIGINT; it starts no child processes, so no init is needed to reap them
# (`docker run --init` does no harm).
STOPSIGNAL SIGTERM
# No curl in slim images: Node's own fetch asks /readyz (503 while draining or without the database).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# V8's heap sized for a service whose live heap is ~50 MB: without caps its young generation and the
# old space it keeps committed after a burst take RSS past 300 MB under load (README, "Memory").
CMD ["node", "--max-semi-space-size=8", "--max-old-space-size=192", "dist/src/main.js"]
