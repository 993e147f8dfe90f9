import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The dev server proxies the API to a Recon service started from this worktree (see README.md).
const backend = process.env.RECON_URL ?? 'http://127.0.0.1:18080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: {
    host: '127.0.0.1',
    port: 15173,
    proxy: { '/api': backend, '/actuator': backend },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    css: false,
    // The machine is shared; the first CodeMirror import alone can take seconds.
    testTimeout: 30000,
  },
});
