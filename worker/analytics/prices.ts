// The price table analytics uses to estimate cost (README "Analytics: cost"). Estimates in USD at list prices when
// written; change them here when a provider changes its prices or your contract differs. A tenant's avatar rate
// (settings.avatar.costPerMinuteUsd) comes before the default, as it does for usage.
export const PRICES = {
  /** OpenAI Realtime (gpt-realtime), per token. */
  realtime: {
    inputTextPerToken: 4 / 1e6,
    inputAudioPerToken: 32 / 1e6,
    cachedInputPerToken: 0.4 / 1e6,
    outputTextPerToken: 16 / 1e6,
    outputAudioPerToken: 64 / 1e6,
  },
  /** OpenAI Images (gpt-image-1, 1024x1024, medium quality), per image. */
  imagePerImage: 0.042,
  /** Akool live avatar, per started minute, when the tenant sets no rate of its own. */
  avatarPerMinute: 0.1,
  /** ElevenLabs text-to-speech, per character. */
  ttsPerCharacter: 0.18 / 1000,
} as const;
