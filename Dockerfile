# One image for the cloud service, the gateway and the simulators (the command picks which).
# They run from the built distribution (dist/, `npm run build`), never through tsx.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild better-sqlite3 @serialport/bindings-cpp esbuild
COPY . .
RUN npm run build:ui && npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# the built files, or a clear failure: no silent fall-back to compiling TypeScript at start
ENV RUONGSO_FROM=dist
COPY --from=build /app /app
USER node
EXPOSE 8080 1883
ENTRYPOINT ["node", "bin/ruongso.js"]
CMD ["cloud"]
