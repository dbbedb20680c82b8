import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const clientDir = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = 'http://127.0.0.1:3000';

export default defineConfig({
  root: clientDir,
  base: '/',
  plugins: [react()],
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
