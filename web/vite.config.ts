import { defineConfig } from 'vite';

// The dashboard is built into web/dist, which the API process serves at `/` (src/web/).
// JSX is compiled by Vite's own transformer (tsconfig `jsx: react-jsx`): no plugin needed for a build.
export default defineConfig({
  root: import.meta.dirname,
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/live': { target: 'ws://127.0.0.1:3000', ws: true } } },
});
