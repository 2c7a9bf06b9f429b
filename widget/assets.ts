// What the widget loads after start-up, by the content-hashed names the build gave them (vite.config.ts defines
// __VB_ASSETS__): the worklet's file, and for the IIFE build each lazy chunk's content hash by its name (lazy.iife.ts
// rebuilds the file name). Unbuilt (the widget tests serve the sources), the worklet keeps its source name.

/** Replaced by the build; absent when the sources run as they are. */
declare const __VB_ASSETS__: { worklet: string; chunks: Record<string, string> } | undefined;

export const ASSET_FILES: { worklet: string; chunks: Record<string, string> } =
  typeof __VB_ASSETS__ === 'undefined' ? { worklet: 'voice-buddy-audio.worklet.js', chunks: {} } : __VB_ASSETS__;
