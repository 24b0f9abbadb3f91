import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The app: web/ (React) talks to engine/worker (a module Worker that owns the OPFS files).
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
