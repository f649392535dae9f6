import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** `npm run dev:editor`: the editor with hot reload, proxying the API of a running Hookflow. */
const apiUrl = process.env.HOOKFLOW_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    alias: {
      // Pure engine code the editor runs as is (one file, not the engine's whole index).
      '@hookflow/engine/flow-diff': fileURLToPath(
        new URL('../../libs/engine/src/flow-diff.ts', import.meta.url),
      ),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the editor: their own cacheable chunks.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'xyflow', test: /node_modules[\\/](@xyflow|d3-[a-z]+|classcat|zustand)[\\/]/ },
            { name: 'jsonata', test: /node_modules[\\/]jsonata[\\/]/ },
            {
              name: 'codemirror',
              test: /node_modules[\\/](@codemirror|@lezer|style-mod|w3c-keyname|crelt)[\\/]/,
            },
          ],
        },
      },
      onLog(level, log, handler) {
        // @xyflow/react starts with "use client" (for React Server Components): harmless here.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiUrl, changeOrigin: true },
      '/hooks': { target: apiUrl, changeOrigin: true },
      '/hooks-test': { target: apiUrl, changeOrigin: true },
    },
  },
});
