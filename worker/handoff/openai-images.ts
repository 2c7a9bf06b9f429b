import type { ImageGenerateParamsNonStreaming, ImagesResponse } from 'openai/resources/images';
import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { openaiBase } from '../providers/openai.ts';
import { callProvider } from '../providers/upstream.ts';
import type { Emit } from './emit.ts';

/**
 * The issue names gpt-image-1, but the official `openai` package (7.57) records that gpt-image-1 was shut down on
 * 2026-10-23; gpt-image-1.5 is its successor in the same family and takes the same parameters.
 */
export const IMAGE_MODEL = 'gpt-image-1.5';
export const IMAGE_COUNT = 3;

/**
 * Below the 30 s that waitUntil may run after the response, so a slow render ends in a clean provider_timeout
 * error (unit given back) instead of a task the runtime kills without a word.
 */
export const IMAGE_TIMEOUT_MS = 25_000;

/** Stored inline as data URLs in D1, whose values stop at 2 MB; JPEG at 80 keeps a 1024 px image near 200 KB. */
const MAX_IMAGE_CHARS = 1_500_000;

export async function generateWithOpenAI(
  env: Env,
  prompt: string,
  alts: (index: number) => string,
  emit: Emit,
): Promise<void> {
  const body: ImageGenerateParamsNonStreaming = {
    model: IMAGE_MODEL,
    prompt,
    n: IMAGE_COUNT,
    size: '1024x1024',
    quality: 'medium',
    output_format: 'jpeg',
    output_compression: 80,
  };
  await emit.progress(10, 'requesting');
  // The API says nothing until the images are ready; an estimate keeps the bar moving meanwhile (never past 85).
  let percent = 10;
  const ticker = setInterval(() => {
    percent += (85 - percent) * 0.2;
    emit.progress(percent, 'rendering').catch(() => clearInterval(ticker));
  }, 3_000);
  let data: Partial<ImagesResponse>;
  try {
    const res = await callProvider(
      'OpenAI',
      `${openaiBase(env)}/v1/images/generations`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${env.OPENAI_API_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      },
      IMAGE_TIMEOUT_MS,
    );
    data = (await res.json().catch(() => ({}))) as Partial<ImagesResponse>;
  } finally {
    clearInterval(ticker);
  }
  const format = data.output_format === 'png' || data.output_format === 'webp' ? data.output_format : 'jpeg';
  const images = (data.data ?? [])
    .map((image) => image.b64_json)
    .filter(
      (b64): b64 is string =>
        typeof b64 === 'string' &&
        b64.length > 0 &&
        b64.length <= MAX_IMAGE_CHARS &&
        /^[A-Za-z0-9+/]+={0,2}$/.test(b64),
    );
  if (images.length === 0) throw new ApiError(502, 'provider_error', 'OpenAI answered without usable images');
  await emit.progress(90, 'finishing');
  for (const [index, b64] of images.entries())
    await emit.concept(index, `data:image/${format};base64,${b64}`, alts(index));
  await emit.done(images.length);
}
