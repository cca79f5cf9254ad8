import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The Python server answers these paths itself; in `npm run dev` Vite forwards them to it.
const API_SERVER = 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'fluent', test: /node_modules[\\/]@fluentui[\\/]/ },
            // The policy editor's (administration only): kept out of the chunk every page loads.
            {
              name: 'editor',
              test: /node_modules[\\/](@codemirror|@lezer|@marijn[\\/]find-cluster-break|crelt|style-mod|w3c-keyname|yaml)[\\/]/,
            },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': API_SERVER,
      '/auth/config': API_SERVER,
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    unstubGlobals: true,
    // Test files share their worker's module graph instead of re-importing Fluent, React and jsdom
    // for each of the 47 files: 150 s → 30 s on two cores. What a file leaves behind is undone after
    // every test (src/test/setup.ts: DOM, storage; mocks and stubbed globals restored above), and no
    // test replaces a module (vi.mock), which sharing would leak.
    isolate: false,
    // Rendering through Fluent is slow on a shared two-core machine: no test asserts timings.
    testTimeout: 20_000,
  },
});
