import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const clientDir = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = 'http://127.0.0.1:3000';

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every compressible asset once, at build time; the server
 * sends them to browsers that accept them (src/web/static-assets.ts). A rural classroom on 256 kbit/s gets the
 * app in a third of the bytes, and the server spends no CPU compressing on each request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'tongke-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const dir = join(outDir, 'assets');
      for (const name of readdirSync(dir)) {
        if (!/\.(js|css|svg|json|html|txt|map)$/.test(name)) continue;
        const file = join(dir, name);
        if (statSync(file).size < 1024) continue;
        const data = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: clientDir,
  base: '/',
  plugins: [
    react(),
    // A service worker keeps the app on the classroom's machine: on a thin rural link the second visit loads
    // from its cache. Nothing is precached (a first visit must not pull the admin and editor code in the
    // background); what a page loads is kept: content-hashed assets for good (cache first), pages network
    // first with a short timeout, so a new version arrives when the link works and a weak one still opens.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      manifest: false,
      workbox: {
        globPatterns: [],
        navigateFallback: null,
        // Nothing is precached, so a new worker can take over at once.
        skipWaiting: true,
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        runtimeCaching: [
          {
            urlPattern: ({ request, url }) =>
              request.mode === 'navigate' && !/^\/(api|health|metrics|socket\.io)(\/|$)/.test(url.pathname),
            handler: 'NetworkFirst',
            options: { cacheName: 'tongke-pages', networkTimeoutSeconds: 2, expiration: { maxEntries: 30 } },
          },
          {
            urlPattern: ({ url }) => url.pathname.startsWith('/assets/'),
            handler: 'CacheFirst',
            options: { cacheName: 'tongke-assets', expiration: { maxEntries: 200, maxAgeSeconds: 90 * 24 * 3600 } },
          },
        ],
      },
    }),
    precompress(),
  ],
  resolve: {
    alias: {
      // The API shapes shared with the server; see src/contracts/api.ts.
      '@contracts': fileURLToPath(new URL('../src/contracts', import.meta.url)),
    },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/health': apiTarget,
      // Live-class signaling (socket.io namespace /live) runs over a WebSocket on the same origin.
      '/socket.io': { target: apiTarget, ws: true },
    },
  },
});
