# The hub's image for docker-compose.yml: Node 24 runs the TypeScript sources directly.
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENV HOST=0.0.0.0 PORT=3000 YIBIAO_DATA_DIR=/data
EXPOSE 3000
USER node
CMD ["node", "bin/yibiao.mjs", "start"]
