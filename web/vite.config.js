import { defineConfig } from "vite";

// The console is plain modules; the build gathers them into dist/ for
// `vigil serve --web web/dist`.
export default defineConfig({
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
});
