import react from '@vitejs/plugin-react';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The page is served by maintenance-api from dist/apps/web (tools/build-web.mjs picks outDir).
export default defineConfig({
  root: dirname(fileURLToPath(import.meta.url)),
  plugins: [react()],
  build: { emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1024 },
});
