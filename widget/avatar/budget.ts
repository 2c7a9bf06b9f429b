/**
 * The avatar's performance budget. The original plan asked for about 2 Mbps of downlink, 150 MB of memory and CPU
 * headroom; browsers report only part of that, so each check applies only where the browser reports it:
 * - CPU: at least 4 logical cores before it starts (the avatar decodes a video stream beside a voice session);
 *   while it runs, more than 30 % of the video's frames dropped since the last check means no headroom is left.
 * - Memory: at least 4 GB of device memory (`navigator.deviceMemory`, Chromium, rounded down to 0.25 .. 8), so the
 *   about 150 MB the avatar takes (SDK, decoder, frame buffers) fits; while it runs, JS heap growth past 150 MB
 *   since the start (`performance.memory`, Chromium) counts as over budget.
 * - Network: `navigator.connection.downlink` (Chromium's estimate, in Mbps) of at least 2.
 * Agora's own network-quality reports are judged by the controller, which sees them as they arrive.
 */
import { englishText, sayWith, type AvatarKey, type TextParams, type Words } from './texts.ts';

export const AVATAR_BUDGET = {
  minCores: 4,
  minDeviceMemoryGb: 4,
  minDownlinkMbps: 2,
  maxHeapGrowthMb: 150,
  maxDroppedFrameRatio: 0.3,
} as const;

/** What the browser reports; a missing field is not checked. */
export interface BudgetReading {
  cores?: number;
  deviceMemoryGb?: number;
  downlinkMbps?: number;
  heapMb?: number;
  /** Dropped / total video frames since the previous reading. */
  droppedFrameRatio?: number;
}

export type BudgetVerdict =
  { ok: true } | { ok: false; reason: 'cpu' | 'memory' | 'network'; message: string; words: Words };

const over = (reason: 'cpu' | 'memory' | 'network', key: AvatarKey, params?: TextParams): BudgetVerdict => {
  const words = params ? { key, params } : { key };
  return { ok: false, reason, message: sayWith(englishText)(words), words };
};

/** Judges a reading; `startHeapMb` is the heap when the avatar started (only readings taken while on pass it). */
export function checkBudget(r: BudgetReading, startHeapMb?: number): BudgetVerdict {
  const b = AVATAR_BUDGET;
  if (r.cores !== undefined && r.cores < b.minCores)
    return over('cpu', 'avatar.cores', { cores: r.cores, min: b.minCores });
  if (r.deviceMemoryGb !== undefined && r.deviceMemoryGb < b.minDeviceMemoryGb) {
    return over('memory', 'avatar.memory', { gb: r.deviceMemoryGb, min: b.minDeviceMemoryGb });
  }
  if (r.downlinkMbps !== undefined && r.downlinkMbps < b.minDownlinkMbps) {
    return over('network', 'avatar.slow', { mbps: r.downlinkMbps, min: b.minDownlinkMbps });
  }
  if (r.droppedFrameRatio !== undefined && r.droppedFrameRatio > b.maxDroppedFrameRatio)
    return over('cpu', 'avatar.frames');
  if (startHeapMb !== undefined && r.heapMb !== undefined && r.heapMb - startHeapMb > b.maxHeapGrowthMb) {
    return over('memory', 'avatar.heap', { mb: b.maxHeapGrowthMb });
  }
  return { ok: true };
}

interface BrowserNavigator {
  hardwareConcurrency?: number;
  deviceMemory?: number;
  connection?: { downlink?: number };
}

/**
 * Reads the budget from the browser. `video()` is the avatar's video element, if any: frame counts are compared
 * with the previous call, so each reading covers one interval.
 */
export function browserBudgetReader(video: () => HTMLVideoElement | null = () => null): () => BudgetReading {
  let previous: { dropped: number; total: number } | null = null;
  return () => {
    const nav = navigator as BrowserNavigator;
    const reading: BudgetReading = {};
    if (nav.hardwareConcurrency) reading.cores = nav.hardwareConcurrency;
    if (nav.deviceMemory) reading.deviceMemoryGb = nav.deviceMemory;
    // Chromium reports 0 when it has no estimate yet; that is not a slow connection.
    if (nav.connection?.downlink) reading.downlinkMbps = nav.connection.downlink;
    const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
    if (memory) reading.heapMb = memory.usedJSHeapSize / 2 ** 20;
    const quality = video()?.getVideoPlaybackQuality?.();
    if (quality) {
      const now = { dropped: quality.droppedVideoFrames, total: quality.totalVideoFrames };
      const frames = previous ? now.total - previous.total : 0;
      // Fewer than a second's worth of frames says nothing about the device.
      if (previous && frames >= 25) reading.droppedFrameRatio = (now.dropped - previous.dropped) / frames;
      previous = now;
    }
    return reading;
  };
}
