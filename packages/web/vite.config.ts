import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built to dist/, which the server's admin part serves at /; `npm run dev -w @strowger/web` proxies the
// API to a server on localhost:8080 (STROWGER_URL to point elsewhere).
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: { '/api': { target: process.env.STROWGER_URL ?? 'http://localhost:8080', changeOrigin: false } },
  },
});
